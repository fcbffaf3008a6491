import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { run } from "../../exec/command";
import { ProvisionError } from "../../errors";
import { clientsFromFile } from "../../kube/clients";
import { bootstrapGroup, TOKEN_FILE_UID, TOKEN_FILE_USER } from "../../kube/seed-bindings";
import { newStaticToken, tokenFileLine } from "../../kube/token-file";
import { info, timed } from "../../log";
import { createAuthority } from "../../pki/authority";
import { registerSecret } from "../../report/redact";
import { recordResource } from "../../run/resources";
import { claimClusterDir, runIdOf } from "../../run/run-dir";
import { sweepRecorded } from "../../run/sweep";
import { ensureRunNetwork } from "./docker-objects";
import { KIND_RESOURCE_DELETERS, KIND_RESOURCE_KINDS } from "./resource-deleters";
import { Timeouts } from "../../wait/timeouts";
import type { Cluster, ClusterProvider, ComponentVersions } from "../provider";
import type { ClusterSpec } from "../spec";
import { KindCluster, loadState, saveState, type KindClusterState } from "./cluster";
import { KindCli } from "./kind-cli";
import { hostCgroupVersion } from "../../host/cgroup";
import { needsOwnCa, renderKindConfig } from "./kind-config";
import { ETCD_TAG_LABEL, imageLabel } from "./node-image";
import { kindPreflight } from "./preflight";

export interface KindProviderOptions {
  runDir: string;
  kindBin: string;
  image: string;
  k8sVersion: string;
  /** Where `kind export logs` writes before every delete (kept after the run). */
  logsRoot: string;
}

/** kubeadm's names for the two auto-approve bindings (cmd/kubeadm/app/phases/bootstraptoken/node/tlsbootstrap.go). */
export const KUBEADM_AUTOAPPROVE_BINDINGS = {
  bootstrap: "kubeadm:node-autoapprove-bootstrap",
  renewal: "kubeadm:node-autoapprove-certificate-rotation",
} as const;

/** The network every cluster of a run shares; removed with the run. */
export function runNetwork(runDir: string): string {
  return `ktc-${runIdOf(runDir)}`;
}

/**
 * kind clusters created with the kind CLI from a node image built offline
 * (tools/kind), with extra nodes started by testcontainers and joined with
 * bootstrap tokens. Bindings follow kubeadm, as kind's do.
 */
export class KindProvider implements ClusterProvider {
  readonly name = "kind";

  constructor(private readonly o: KindProviderOptions) {
    // testcontainers' reaper is an image pulled from a registry, which
    // air-gapped machines lack; the harness removes its containers itself
    // (records + labels, see docker-objects.ts).
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
  }

  preflight(): Promise<void> {
    return kindPreflight(this.o.kindBin);
  }

  async create(spec: ClusterSpec): Promise<Cluster> {
    if (spec.bindingStyle !== "kubeadm") {
      throw new ProvisionError(`kind clusters carry kubeadm's bindings, not ${spec.bindingStyle}'s`, {
        hint: "set bindingStyle: kubeadm (the CLI does this for --provider kind)",
      });
    }
    const { index, dir } = await claimClusterDir(this.o.runDir);
    const name = `ktc-${runIdOf(this.o.runDir)}-c${index}`;
    const network = runNetwork(this.o.runDir);
    const cli = new KindCli({ kindBin: this.o.kindBin, network });
    info(`creating kind cluster ${name} (image ${this.o.image}, network ${network})`);
    try {
      // The network outlives each cluster: it belongs to the run.
      await recordResource(this.o.runDir, { kind: KIND_RESOURCE_KINDS.dockerNetwork, name: network, owner: `run ${runIdOf(this.o.runDir)}` });
      await ensureRunNetwork(network, runIdOf(this.o.runDir), dirname(this.o.runDir));
      const ktcDir = join(dir, "ktc");
      await mkdir(ktcDir, { recursive: true });
      const tokenFileToken = newStaticToken();
      registerSecret(tokenFileToken);
      await writeFile(join(ktcDir, "tokens.csv"), tokenFileLine(tokenFileToken, TOKEN_FILE_USER, TOKEN_FILE_UID, [bootstrapGroup(spec.bindingStyle)]) + "\n", {
        mode: 0o600,
      });
      let caFiles: { cert: string; key: string } | undefined;
      if (needsOwnCa(spec)) {
        const ca = await createAuthority("kubernetes", spec.caValiditySeconds);
        caFiles = { cert: join(dir, "ca.crt"), key: join(dir, "ca.key") };
        await writeFile(caFiles.cert, ca.certPem);
        await writeFile(caFiles.key, ca.keyPem, { mode: 0o600 });
      }
      const configPath = join(dir, "kind-config.yaml");
      const etcdImageTag = (await imageLabel(this.o.image, ETCD_TAG_LABEL)) || undefined;
      const hostCgroup = hostCgroupVersion();
      await writeFile(configPath, renderKindConfig({ spec, k8sVersion: this.o.k8sVersion, hostCgroup, ktcHostDir: ktcDir, caFiles, etcdImageTag }));
      const kubeconfigPath = join(dir, "admin.kubeconfig");
      await recordResource(this.o.runDir, {
        kind: KIND_RESOURCE_KINDS.kindCluster,
        name,
        owner: name,
        detail: { kindBin: this.o.kindBin, network, logsDir: join(this.o.logsRoot, name) },
      });
      const { ms } = await timed(`kind create cluster ${name}`, () =>
        cli.createCluster({ name, image: this.o.image, configPath, kubeconfigPath, timeoutMs: Timeouts.clusterUp }),
      );
      const kube = clientsFromFile(kubeconfigPath);
      for (const [which, binding] of Object.entries(KUBEADM_AUTOAPPROVE_BINDINGS) as [keyof typeof KUBEADM_AUTOAPPROVE_BINDINGS, string][]) {
        if (spec.autoApprove[which]) continue;
        await kube.rbac.deleteClusterRoleBinding({ name: binding });
        info(`${name}: deleted ${binding} (spec: no ${which} auto-approval)`);
      }
      const state: KindClusterState = {
        name,
        runDir: this.o.runDir,
        dir,
        network,
        kindBin: this.o.kindBin,
        image: this.o.image,
        k8sVersion: this.o.k8sVersion,
        hostCgroup,
        spec,
        apiServerUrl: `https://${await containerIp(`${name}-control-plane`, network)}:6443`,
        adminKubeconfigPath: kubeconfigPath,
        caCertPem: await clusterCa(kubeconfigPath),
        tokenFileToken,
        versions: { ...(await this.versions(name)), etcd: etcdImageTag ?? "kubeadm's default image" },
        timingsMs: { kindCreate: ms, total: ms },
      };
      await saveState(state);
      return new KindCluster(state);
    } catch (err) {
      info(`bring-up of ${name} failed; removing what was created`);
      await sweepRecorded(this.o.runDir, KIND_RESOURCE_DELETERS, name);
      throw err;
    }
  }

  async attach(handle: string): Promise<Cluster> {
    return new KindCluster(await loadState(handle));
  }

  private async versions(name: string): Promise<ComponentVersions> {
    const cp = `${name}-control-plane`;
    const first = (argv: string[]) => run(argv).then((r) => r.stdout.split("\n")[0]!.trim(), (e: Error) => `unknown (${e.message.split("\n")[0]})`);
    return {
      kind: await first([this.o.kindBin, "version"]),
      "node image": this.o.image,
      kubelet: await first(["docker", "exec", cp, "kubelet", "--version"]),
      kubeadm: await first(["docker", "exec", cp, "kubeadm", "version", "-o", "short"]),
      containerd: await first(["docker", "exec", cp, "containerd", "--version"]),
      runc: await first(["docker", "exec", cp, "runc", "--version"]),
      docker: await first(["docker", "version", "--format", "{{.Server.Version}}"]),
    };
  }
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
