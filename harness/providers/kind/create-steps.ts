import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { run } from "../../exec/command";
import { ProvisionError } from "../../errors";
import { hostCgroupVersion } from "../../host/cgroup";
import { clientsFromFile } from "../../kube/clients";
import { info, timed } from "../../log";
import { createAuthority } from "../../pki/authority";
import { recordResource } from "../../run/resources";
import { Timeouts } from "../../wait/timeouts";
import type { ClusterStateBase } from "../cluster-state";
import type { ClusterDraft, ControlPlaneUp, CreateSteps } from "../create-cluster";
import type { Cluster, ComponentVersions } from "../provider";
import type { ClusterSpec } from "../spec";
import { KindCluster, type KindClusterState } from "./cluster";
import { ensureRunNetwork } from "./docker-objects";
import { KindCli } from "./kind-cli";
import { needsOwnCa, renderKindConfig } from "./kind-config";
import { ETCD_TAG_LABEL, imageLabel } from "./node-image";
import type { KindProviderOptions } from "./provider";
import { KIND_RESOURCE_DELETERS, KIND_RESOURCE_KINDS } from "./resource-deleters";

/** kubeadm's names for the two auto-approve bindings (cmd/kubeadm/app/phases/bootstraptoken/node/tlsbootstrap.go). */
export const KUBEADM_AUTOAPPROVE_BINDINGS = {
  bootstrap: "kubeadm:node-autoapprove-bootstrap",
  renewal: "kubeadm:node-autoapprove-certificate-rotation",
} as const;

/** The docker network every cluster of a run shares; removed with the run. */
type RunNetwork = string;

interface KindControlPlane extends ControlPlaneUp {
  /** The etcd image tag our node images name (ETCD_TAG_LABEL), if any. */
  etcdImageTag: string | undefined;
  hostCgroup: KindClusterState["hostCgroup"];
}

/**
 * A container's address on the run's network. The API server URL is the
 * control plane's address there: the nodes reach it, so does this host (the
 * suites' own clients use it too), and kubeadm puts it in the serving
 * certificate as the advertise address.
 */
async function containerIp(container: string, network: string): Promise<string> {
  const ip = (await run(["docker", "inspect", "--format", `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, container])).stdout.trim();
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) throw new ProvisionError(`${container} has no IPv4 address on network ${network} (got ${JSON.stringify(ip)})`);
  return ip;
}

/** The cluster CA from the admin kubeconfig kind wrote. */
async function clusterCa(kubeconfigPath: string): Promise<string> {
  const kc = new KubeConfig();
  kc.loadFromString(await readFile(kubeconfigPath, "utf8"));
  const data = kc.getCurrentCluster()?.caData;
  if (!data) throw new ProvisionError(`kind's kubeconfig ${kubeconfigPath} has no certificate-authority-data`);
  return Buffer.from(data, "base64").toString("utf8");
}

/**
 * The bring-up steps of a kind cluster: the run's docker network, then `kind
 * create cluster` from a config rendered for the spec (the token-file line
 * mounted into the API server, the spec's CA and signing duration), then the
 * removal of the kubeadm auto-approve bindings the spec does without.
 */
export class KindCreateSteps implements CreateSteps<RunNetwork, KindControlPlane, KindClusterState> {
  readonly provider = "kind";
  readonly deleters = KIND_RESOURCE_DELETERS;

  constructor(private readonly o: KindProviderOptions) {}

  async preflight(spec: ClusterSpec): Promise<void> {
    if (spec.bindingStyle !== "kubeadm") {
      throw new ProvisionError(`kind clusters carry kubeadm's bindings, not ${spec.bindingStyle}'s`, {
        hint: "set bindingStyle: kubeadm (the CLI does this for --provider kind)",
      });
    }
  }

  /** The network outlives each cluster: it belongs to the run. */
  async network(c: ClusterDraft): Promise<RunNetwork> {
    const network = `ktc-${c.runId}`;
    await recordResource(c.runDir, { kind: KIND_RESOURCE_KINDS.dockerNetwork, name: network, owner: `run ${c.runId}` });
    await ensureRunNetwork(network, c.runId, dirname(c.runDir));
    return network;
  }

  async controlPlane(c: ClusterDraft, network: RunNetwork): Promise<KindControlPlane> {
    info(`kind cluster ${c.name}: image ${this.o.image}, network ${network}`);
    const ktcDir = join(c.dir, "ktc");
    await mkdir(ktcDir, { recursive: true });
    await writeFile(join(ktcDir, "tokens.csv"), c.tokenFileLine + "\n", { mode: 0o600 });
    let caFiles: { cert: string; key: string } | undefined;
    if (needsOwnCa(c.spec)) {
      const ca = await createAuthority("kubernetes", c.spec.caValiditySeconds);
      caFiles = { cert: join(c.dir, "ca.crt"), key: join(c.dir, "ca.key") };
      await writeFile(caFiles.cert, ca.certPem);
      await writeFile(caFiles.key, ca.keyPem, { mode: 0o600 });
    }
    const configPath = join(c.dir, "kind-config.yaml");
    const etcdImageTag = (await imageLabel(this.o.image, ETCD_TAG_LABEL)) || undefined;
    const hostCgroup = hostCgroupVersion();
    await writeFile(configPath, renderKindConfig({ spec: c.spec, k8sVersion: this.o.k8sVersion, hostCgroup, ktcHostDir: ktcDir, caFiles, etcdImageTag }));
    const kubeconfigPath = join(c.dir, "admin.kubeconfig");
    await recordResource(c.runDir, {
      kind: KIND_RESOURCE_KINDS.kindCluster,
      name: c.name,
      owner: c.name,
      detail: { kindBin: this.o.kindBin, network, logsDir: join(this.o.logsRoot, c.name) },
    });
    const cli = new KindCli({ kindBin: this.o.kindBin, network });
    const { ms } = await timed(`kind create cluster ${c.name}`, () =>
      cli.createCluster({ name: c.name, image: this.o.image, configPath, kubeconfigPath, timeoutMs: Timeouts.clusterUp }),
    );
    const kube = clientsFromFile(kubeconfigPath);
    for (const [which, binding] of Object.entries(KUBEADM_AUTOAPPROVE_BINDINGS) as [keyof typeof KUBEADM_AUTOAPPROVE_BINDINGS, string][]) {
      if (c.spec.autoApprove[which]) continue;
      await kube.rbac.deleteClusterRoleBinding({ name: binding });
      info(`${c.name}: deleted ${binding} (spec: no ${which} auto-approval)`);
    }
    return {
      apiServerUrl: `https://${await containerIp(`${c.name}-control-plane`, network)}:6443`,
      adminKubeconfigPath: kubeconfigPath,
      caCertPem: await clusterCa(kubeconfigPath),
      timingsMs: { kindCreate: ms },
      etcdImageTag,
      hostCgroup,
    };
  }

  async versions(c: ClusterDraft, _network: RunNetwork, cp: KindControlPlane): Promise<ComponentVersions> {
    const node = `${c.name}-control-plane`;
    const first = (argv: string[]) => run(argv).then((r) => r.stdout.split("\n")[0]!.trim(), (e: Error) => `unknown (${e.message.split("\n")[0]})`);
    return {
      kind: await first([this.o.kindBin, "version"]),
      "node image": this.o.image,
      kubelet: await first(["docker", "exec", node, "kubelet", "--version"]),
      kubeadm: await first(["docker", "exec", node, "kubeadm", "version", "-o", "short"]),
      containerd: await first(["docker", "exec", node, "containerd", "--version"]),
      runc: await first(["docker", "exec", node, "runc", "--version"]),
      docker: await first(["docker", "version", "--format", "{{.Server.Version}}"]),
      etcd: cp.etcdImageTag ?? "kubeadm's default image",
    };
  }

  async state(_c: ClusterDraft, network: RunNetwork, cp: KindControlPlane): Promise<Omit<KindClusterState, keyof ClusterStateBase>> {
    return { network, kindBin: this.o.kindBin, image: this.o.image, k8sVersion: this.o.k8sVersion, hostCgroup: cp.hostCgroup };
  }

  attach(state: KindClusterState): Cluster {
    return new KindCluster(state);
  }
}
