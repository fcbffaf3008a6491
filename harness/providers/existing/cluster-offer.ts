import type { KubeClients } from "../../kube/clients";
import { NODECLIENT, SELFNODECLIENT } from "../../kube/seed-bindings";
import type { BootstrapIdentity } from "../provider";
import { resolveSpec, type AutoApproveBindings, type ClusterSpec } from "../spec";

/**
 * What a running cluster offers the suites, read before they start: whom its
 * auto-approve ClusterRoles are bound to. Its signer's duration and CA are
 * its own; a suite's spec either is the cluster as it is (the run's base
 * spec: the vendor config) or cannot be had from it.
 */
export interface ClusterOffer {
  /** "Group system:bootstrappers:kubeadm:default-node-token", ...: the subjects of nodeclient's bindings. */
  nodeclient: string[];
  /** The subjects of selfnodeclient's bindings. */
  selfnodeclient: string[];
}

export async function readClusterOffer(kube: KubeClients): Promise<ClusterOffer> {
  const bindings = (await kube.rbac.listClusterRoleBinding()).items;
  const subjectsOf = (role: string) =>
    [...new Set(bindings.filter((b) => b.roleRef.kind === "ClusterRole" && b.roleRef.name === role).flatMap((b) => (b.subjects ?? []).map((s) => `${s.kind} ${s.name}`)))].sort();
  return { nodeclient: subjectsOf(NODECLIENT), selfnodeclient: subjectsOf(SELFNODECLIENT) };
}

/**
 * Which approvals happen by themselves for the run's nodes: their bootstrap
 * tokens carry every bootstrapper group the cluster binds (cluster.ts), and
 * their client certificates the group system:nodes.
 */
export function offeredAutoApprove(offer: ClusterOffer): AutoApproveBindings {
  return {
    bootstrap: offer.nodeclient.some((s) => s === "Group system:bootstrappers" || s.startsWith("Group system:bootstrappers:")),
    renewal: offer.selfnodeclient.includes("Group system:nodes"),
  };
}

/**
 * Whether the first client certificate of a node joined with the vendor's
 * token-file credential is approved by itself: csrapproving asks whether its
 * requester may create certificatesigningrequests/nodeclient, which the
 * nodeclient ClusterRole grants to whom it is bound (the user or one of its groups).
 */
export function tokenFileAutoApproved(offer: ClusterOffer, identity: BootstrapIdentity): boolean {
  const subjects = new Set([`User ${identity.user}`, ...identity.groups.map((g) => `Group ${g}`)]);
  return offer.nodeclient.some((s) => subjects.has(s));
}

/** Why a token-file node of the vendor's credential cannot be what `spec` asks, or undefined if it can (ProviderDefinition.cannotJoinWith). */
export function unmetForTokenFile(offer: ClusterOffer, identity: BootstrapIdentity, spec: ClusterSpec): string | undefined {
  const auto = tokenFileAutoApproved(offer, identity);
  if (spec.autoApprove.bootstrap === auto) return undefined;
  const bound = offer.nodeclient.length ? offer.nodeclient.join(", ") : "nobody";
  return spec.autoApprove.bootstrap
    ? `they need the token-file node's first client certificate approved automatically, and the cluster binds the nodeclient ClusterRole neither to User ${identity.user} nor to one of its groups (bound to ${bound})`
    : `they need the token-file node's first client certificate left for approval by hand, and the cluster approves ${identity.user}'s automatically (nodeclient bound to ${bound})`;
}

const duration = (s: number) => (s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`);

/**
 * Why the running cluster is not what `spec` asks for, or undefined if it is
 * (ProviderDefinition.cannotServe). With `bindingsChangeable`
 * (--allow-cluster-changes) the run reaches any approval path itself
 * (approval-bindings.ts); the signer, the CA and the flags stay the cluster's.
 */
export function unmetOnRunningCluster(offer: ClusterOffer, spec: ClusterSpec, baseSpec: Partial<ClusterSpec>, o: { bindingsChangeable?: boolean } = {}): string | undefined {
  const asIs = resolveSpec(baseSpec, { autoApprove: o.bindingsChangeable ? spec.autoApprove : offeredAutoApprove(offer) });
  const bound = (subjects: string[]) => (subjects.length ? subjects.join(", ") : "nobody");
  const reasons: string[] = [];
  if (spec.autoApprove.bootstrap !== asIs.autoApprove.bootstrap) {
    reasons.push(
      spec.autoApprove.bootstrap
        ? `they need first client certificates approved automatically, and the cluster binds the nodeclient ClusterRole to no bootstrap-token group (bound to ${bound(offer.nodeclient)})`
        : `they need first client certificates left for approval by hand, and the cluster approves them automatically (nodeclient bound to ${bound(offer.nodeclient)})`,
    );
  }
  if (spec.autoApprove.renewal !== asIs.autoApprove.renewal) {
    reasons.push(
      spec.autoApprove.renewal
        ? `they need renewals approved automatically, and the cluster binds the selfnodeclient ClusterRole to no Group system:nodes (bound to ${bound(offer.selfnodeclient)})`
        : `they need renewals left for approval by hand, and the cluster approves them automatically (selfnodeclient bound to ${bound(offer.selfnodeclient)})`,
    );
  }
  if (spec.signingDurationSeconds !== asIs.signingDurationSeconds) {
    reasons.push(`they need kube-controller-manager --cluster-signing-duration=${duration(spec.signingDurationSeconds)}, and a running cluster's signer is set up by its installer`);
  }
  if (spec.caValiditySeconds !== asIs.caValiditySeconds) reasons.push(`they need a cluster CA valid for ${duration(spec.caValiditySeconds)}, and a running cluster's CA is its own`);
  for (const component of ["kube-apiserver", "kube-controller-manager"] as const) {
    const extra = (spec.extraFlags[component] ?? []).filter((f) => !(asIs.extraFlags[component] ?? []).includes(f));
    if (extra.length) reasons.push(`they need ${component} ${extra.join(" ")}, and a running cluster's flags are its own`);
  }
  return reasons.length ? reasons.join("; ") : undefined;
}
