/**
 * What a suite needs from a cluster. Suites declare a ClusterSpec; providers
 * build it. Two suites with equal specs may share one cluster.
 */

/** Which names the seed RBAC bindings carry: a binary install's, or kubeadm's (and so kind's). */
export type BindingStyle = "binary-install" | "kubeadm";

/** How a node authenticates for its first CSR. */
export type BootstrapCredential =
  /** A line of the API server's --token-auth-file: `token,kubelet-bootstrap,10001,"<group>"`. */
  | "token-file"
  /** A `bootstrap-token-<id>` Secret in kube-system, created through the API for that node. */
  | "bootstrap-token";

export interface AutoApproveBindings {
  /** The `nodeclient` binding: first client certificates are approved by kube-controller-manager. */
  bootstrap: boolean;
  /** The `selfnodeclient` binding: renewals requested by the node itself are approved. */
  renewal: boolean;
}

export interface ComponentFlags {
  "kube-apiserver"?: string[];
  "kube-controller-manager"?: string[];
  kubelet?: string[];
}

export interface ClusterSpec {
  bindingStyle: BindingStyle;
  autoApprove: AutoApproveBindings;
  /** kube-controller-manager --cluster-signing-duration, in seconds. */
  signingDurationSeconds: number;
  /** Validity of the cluster CA from its creation (it caps every certificate the signer issues). */
  caValiditySeconds: number;
  /** Extra flags per component, appended after the harness's own. */
  extraFlags: ComponentFlags;
}

export interface NodeSpec {
  /** Node name; unique per run. */
  name: string;
  credential: BootstrapCredential;
  /**
   * KubeletConfiguration serverTLSBootstrap: the kubelet asks the cluster for
   * its serving certificate. A node's own setting, not the cluster's, so the
   * serving suite's node joins the cluster most suites share.
   */
  serverTLSBootstrap?: boolean;
}

export const ONE_YEAR_SECONDS = 365 * 24 * 3600;

export function defaultClusterSpec(overrides: Partial<ClusterSpec> = {}): ClusterSpec {
  return {
    bindingStyle: "binary-install",
    autoApprove: { bootstrap: true, renewal: true },
    signingDurationSeconds: ONE_YEAR_SECONDS,
    caValiditySeconds: 10 * ONE_YEAR_SECONDS,
    extraFlags: {},
    ...overrides,
  };
}

/** A stable key (keys sorted at every depth): equal specs share a cluster. */
export function specKey(spec: ClusterSpec): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === "object"
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
        : v;
  return JSON.stringify(canonical(spec));
}

/** The spec a suite asks for, on top of the run's base (from the vendor config). */
export function resolveSpec(base: Partial<ClusterSpec>, suite: Partial<ClusterSpec>): ClusterSpec {
  const d = defaultClusterSpec();
  const flags = (c: keyof ComponentFlags) => [...(base.extraFlags?.[c] ?? []), ...(suite.extraFlags?.[c] ?? [])];
  return {
    ...d,
    ...base,
    ...suite,
    autoApprove: { ...d.autoApprove, ...base.autoApprove, ...suite.autoApprove },
    extraFlags: { "kube-apiserver": flags("kube-apiserver"), "kube-controller-manager": flags("kube-controller-manager"), kubelet: flags("kubelet") },
  };
}
