import { mkdir, open, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderKubeconfig } from "../../kube/kubeconfig";
import { info } from "../../log";
import { issue, type Authority } from "../../pki/authority";
import { x509 } from "../../pki/x509";
import { runIdOf } from "../../run/run-dir";
import { ProvisionError } from "../../errors";
import { bootstrapCredential, loadClusterState, type ClusterStateBase } from "../cluster-state";
import type { Node } from "../provider";
import { RecordedCluster } from "../recorded-cluster";
import type { NodeSpec } from "../spec";
import type { Fault } from "../fault-injection";
import { kubeletServerTlsBootstrap } from "./faults";
import { createNodeNetwork, type ClusterNetwork } from "./network";
import { BinaryNode } from "./node";
import type { NodeRuntime } from "../../runtime/node-runtime";
import { containerdConfig, containerdConfigVersion } from "./containerd-config";
import { kubeletArgv, kubeletConfiguration, nodeLayout } from "./node-config";
import { linesSince } from "../../report/log-window";
import { BINARY_RESOURCE_DELETERS } from "./resource-deleters";

/**
 * Everything needed to use a binary cluster, written to <dir>/cluster.json, so
 * a later suite (another jest module registry) can attach to it: the pool
 * shares one cluster between suites with equal specs.
 */
export interface BinaryClusterState extends ClusterStateBase {
  index: number;
  binDir: string;
  network: ClusterNetwork;
  /** containerd and runc every node of this cluster runs. */
  runtime: NodeRuntime;
  /** The run's faults (negative controls only): its nodes carry them too. */
  faults: Fault[];
}

export const loadState = (clusterDir: string) => loadClusterState<BinaryClusterState>(clusterDir);

/** Node addresses are .10 to .250 of the cluster's /24. */
const FIRST_HOST = 10;
const LAST_HOST = 250;

export class BinaryCluster extends RecordedCluster<BinaryClusterState> {
  private readonly nodes: BinaryNode[] = [];

  constructor(s: BinaryClusterState) {
    super(s, BINARY_RESOURCE_DELETERS);
  }

  /** Claims a free host address: an exclusive file per address, safe across suites. */
  private async claimHostIndex(): Promise<number> {
    await mkdir(join(this.s.dir, "hosts"), { recursive: true });
    for (let n = FIRST_HOST; n <= LAST_HOST; n++) {
      try {
        await (await open(join(this.s.dir, "hosts", String(n)), "wx")).close();
        return n;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
    }
    throw new ProvisionError(`cluster ${this.name} has no free node address left (${LAST_HOST - FIRST_HOST + 1} nodes joined)`);
  }

  async joinNode(spec: NodeSpec): Promise<Node> {
    const hostIndex = await this.claimHostIndex();
    const layout = nodeLayout(join(this.s.dir, "nodes", spec.name));
    await mkdir(join(layout.dir, "containerd"), { recursive: true });
    await mkdir(join(layout.dir, "cni", "net.d"), { recursive: true });
    const runId = runIdOf(this.s.runDir);
    const network = await createNodeNetwork(this.s.runDir, this.s.network, {
      netns: `ktc-${runId}-${this.s.index}-${hostIndex}`,
      hostVeth: `k${runId}${this.s.index}h${hostIndex}`,
      hostIndex,
      owner: this.name,
    });

    const { token, bootstrapUser } = await bootstrapCredential(this.kube, this.s, spec.credential);

    // What a binary install's node has before its first start: the CA, a
    // bootstrap kubeconfig with the token, and no --kubeconfig file at all.
    await writeFile(layout.caFile, this.caCertPem);
    await writeFile(
      layout.bootstrapKubeconfig,
      renderKubeconfig({ server: this.apiServerUrl, user: "kubelet-bootstrap", caFile: layout.caFile, auth: { kind: "token", token } }),
      { mode: 0o600 },
    );
    const servingPair = this.s.faults.includes("kubelet-external-serving-cert")
      ? await this.writeExternalServingCert(layout.dir, spec.name, network.address)
      : undefined;
    await writeFile(
      layout.kubeletConfig,
      kubeletConfiguration({ layout, kubeletVersion: this.s.versions.kubelet ?? "", address: network.address, serverTLSBootstrap: kubeletServerTlsBootstrap(this.spec, this.s.faults), servingPair }),
    );
    await writeFile(layout.containerdConfig, containerdConfig(layout, this.s.runtime));

    const node = new BinaryNode({
      runDir: this.s.runDir,
      name: spec.name,
      owner: this.name,
      credential: spec.credential,
      bootstrapUser,
      layout,
      network,
      containerdArgv: [this.s.runtime.containerd, "--config", layout.containerdConfig],
      ctr: this.s.runtime.ctr,
      runtimeConfigExpected: containerdConfigVersion(this.s.runtime.containerdVersion) > 2,
      kubeletArgv: kubeletArgv(join(this.s.binDir, "kubelet"), {
        layout,
        nodeName: spec.name,
        address: network.address,
        extraFlags: this.spec.extraFlags.kubelet ?? [],
      }),
    });
    this.nodes.push(node);
    info(`joining node ${spec.name} (${network.address}) to ${this.name} with ${spec.credential} as ${bootstrapUser}`);
    await node.start();
    return node;
  }

  /** The kubelet-external-serving-cert fault: a serving pair from the cluster CA, passed by flags. */
  private async writeExternalServingCert(dir: string, nodeName: string, address: string): Promise<{ cert: string; key: string }> {
    const pkiDir = join(this.s.dir, "pki");
    const caKeyPem = await readFile(join(pkiDir, "ca.key"), "utf8");
    const caKey = await crypto.subtle.importKey("pkcs8", x509.PemConverter.decodeFirst(caKeyPem), { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
    const cert = new x509.X509Certificate(this.caCertPem);
    const ca: Authority = { cert, keys: { privateKey: caKey, publicKey: await cert.publicKey.export() }, certPem: this.caCertPem, keyPem: caKeyPem };
    const pair = await issue(ca, { subject: `CN=${nodeName}`, usage: "server", dnsNames: [nodeName], ipAddresses: [address] });
    const paths = { cert: join(dir, "serving.crt"), key: join(dir, "serving.key") };
    await writeFile(paths.cert, pair.certPem);
    await writeFile(paths.key, pair.keyPem, { mode: 0o600 });
    return paths;
  }

  async controlPlaneLogs(since: Date): Promise<Record<string, string>> {
    const logs = join(this.s.dir, "logs");
    const read = (component: string) => readFile(join(logs, `${component}.log`), "utf8").then((t) => linesSince(t, since), () => `(no log at ${join(logs, component)}.log)`);
    return {
      "kube-apiserver": await read("kube-apiserver"),
      "kube-controller-manager": await read("kube-controller-manager"),
      etcd: await read("etcd"),
    };
  }
}
