import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { issue, type Authority } from "../../pki/authority";
import { x509 } from "../../pki/x509";
import { bootstrapCredential, loadClusterState, type ClusterStateBase } from "../cluster-state";
import type { Node } from "../provider";
import { RecordedCluster } from "../recorded-cluster";
import type { NodeSpec } from "../spec";
import type { Fault } from "../fault-injection";
import { kubeletServerTlsBootstrap } from "./faults";
import type { ClusterNetwork } from "../../local-node/network";
import { joinLocalNode, localNodeCluster } from "../../local-node/join";
import type { NodeRuntime } from "../../runtime/node-runtime";
import { linesSince } from "../../report/log-window";
import { LOCAL_NODE_RESOURCE_DELETERS } from "../../local-node/resource-deleters";

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

export class BinaryCluster extends RecordedCluster<BinaryClusterState> {
  constructor(s: BinaryClusterState) {
    super(s, LOCAL_NODE_RESOURCE_DELETERS);
  }

  async joinNode(spec: NodeSpec): Promise<Node> {
    const { token, bootstrapUser } = await bootstrapCredential(this.kube, this.s, this.bootstrapperGroups, spec.credential);
    return joinLocalNode(localNodeCluster(this, this.s, join(this.s.binDir, "kubelet")), {
      name: spec.name,
      credential: spec.credential,
      token,
      bootstrapUser,
      serverTLSBootstrap: kubeletServerTlsBootstrap(spec, this.s.faults),
      extraKubeletFlags: this.spec.extraFlags.kubelet ?? [],
      servingPair: this.s.faults.includes("kubelet-external-serving-cert") ? (dir, address) => this.writeExternalServingCert(dir, spec.name, address) : undefined,
    });
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
