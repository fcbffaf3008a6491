import type { ClusterSpec, NodeSpec } from "./spec";

/**
 * The provider split follows kind: one interface, one folder per provider
 * (binary/, kind/). Suites only see Cluster and Node and never branch on the
 * provider; the CLI and the sweep see a provider's definition (definition.ts).
 */
export interface ClusterProvider {
  readonly name: string;
  /** A new cluster of the run (create-cluster.ts: the same named steps for every provider). */
  create(spec: ClusterSpec): Promise<Cluster>;
  /** Reattaches to a cluster of this run by its handle (so suites can share it). */
  attach(handle: string): Promise<Cluster>;
}

/** What a suite may create on a cluster by itself. */
export type ClusterObject =
  /** The `bootstrap-token-<id>` Secret in kube-system. */
  | { kind: "bootstrap-token-secret"; tokenId: string }
  /** CSRs whose names start with `prefix` (made with it as generateName), however many. */
  | { kind: "csrs-named"; prefix: string };

/** Whom a bootstrap credential authenticates as: the username and groups its CSRs carry. */
export interface BootstrapIdentity {
  user: string;
  groups: string[];
}

export interface ComponentVersions {
  [component: string]: string;
}

export interface Cluster {
  readonly name: string;
  /** What `ClusterProvider.attach` takes to find this cluster again. */
  readonly handle: string;
  readonly spec: ClusterSpec;
  /** Admin kubeconfig on the local file system (cluster-admin). */
  readonly adminKubeconfigPath: string;
  /**
   * The API server's client CA bundle (--client-ca-file), PEM, one or more
   * certificates: a kubelet client certificate must chain to one of them. On
   * the harness's own clusters it is the one cluster CA, which also signs
   * kubelet client certificates; a running cluster's signer may use any CA
   * of the bundle (docs/contract-audit.md).
   */
  readonly caCertPem: string;
  /** The CA bundle that verifies the API server's serving certificate, PEM: the cluster CA on the harness's own clusters. */
  readonly serverCaPem: string;
  /** The API server URL as the nodes reach it. */
  readonly apiServerUrl: string;
  readonly versions: ComponentVersions;
  /** The groups a bootstrap token carries on this cluster (auth-extra-groups) to be allowed a node's bootstrap: the ones its bindings name. */
  readonly bootstrapperGroups: readonly string[];
  /**
   * Whom a node joined with the token-file credential authenticates as: the
   * harness's own line on its clusters (kubelet-bootstrap, the binding style's
   * group), on a running cluster the identity of the token the vendor declared.
   */
  readonly tokenFileIdentity: BootstrapIdentity;

  /** Starts a kubelet that has only a bootstrap kubeconfig; does not wait for its certificate. */
  joinNode(spec: NodeSpec): Promise<Node>;
  /**
   * Called before a suite creates an object on the cluster by itself (not
   * through a node's kubelet): a cluster the run did not make records it, so
   * that the end of the run, or `npm run cleanup`, removes it. The harness's
   * own clusters are removed whole and record nothing.
   */
  willCreate(o: ClusterObject): Promise<void>;
  /**
   * The control plane's logs (kube-apiserver, kube-controller-manager, etcd)
   * written since `since`, for failure evidence: a pooled cluster serves
   * several suites, and each suite's evidence starts when the suite did.
   */
  controlPlaneLogs(since: Date): Promise<Record<string, string>>;
  destroy(): Promise<void>;
}

/** One entry of a cert-dir listing. */
export interface CertDirEntry {
  name: string;
  type: "file" | "symlink" | "dir" | "other";
  /** Octal permission bits, e.g. "600". */
  mode: string;
  /** For symlinks: the target as stored in the link. */
  linkTarget?: string;
  size: number;
}

/**
 * A kubelet node, wherever it lives (a netns on this host, a container...).
 * Paths are the node's own paths.
 */
export interface Node {
  readonly name: string;
  readonly credential: NodeSpec["credential"];
  readonly certDir: string;
  readonly kubeconfigPath: string;
  /** The identity the bootstrap credential authenticates as, e.g. "kubelet-bootstrap" or "system:bootstrap:abcdef". */
  readonly bootstrapUser: string;
  /** The node's IP address as the API server reaches it. */
  readonly address: string;

  listCertDir(): Promise<CertDirEntry[]>;
  /** Type, mode and link target of one path on the node (without following symlinks). */
  stat(path: string): Promise<CertDirEntry>;
  readFile(path: string): Promise<string>;
  /** Whether a path exists on the node. */
  exists(path: string): Promise<boolean>;
  removeFile(path: string): Promise<void>;
  kubeletLogTail(lines: number): Promise<string>;
  /** The kubelet's whole log since the node started, across restarts (failure evidence). */
  kubeletLog(): Promise<string>;
  /** "running (pid N)" or how the kubelet ended, for timeout messages. */
  kubeletStatus(): Promise<string>;
  /** Stops and starts the kubelet with the same flags. */
  restartKubelet(): Promise<void>;
  /**
   * Optional capability (local nodes, node containers): puts a client certificate and its key
   * into the cert dir as the kubelet's certificate store does (a new
   * kubelet-client-<timestamp>.pem, kubelet-client-current.pem moved to it);
   * the kubelet uses it from its next start. Returns the new file's path.
   */
  installClientCertificate?(pem: string): Promise<string>;
  stop(): Promise<void>;
}
