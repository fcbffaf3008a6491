import { mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import type { V1ClusterRoleBinding, V1ResourceAttributes, RbacV1Subject } from "@kubernetes/client-node";
import { apiStatus, type KubeClients } from "../../kube/clients";
import { binding, NODE_BOOTSTRAPPER, NODECLIENT, SELFNODECLIENT, type Subject } from "../../kube/seed-bindings";
import { warn } from "../../log";
import { Timeouts } from "../../wait/timeouts";
import { eventually } from "../../wait/eventually";
import type { AutoApproveBindings } from "../spec";
import { recordBindingEdit, recordRunBinding, type Where } from "./cluster-objects";

/**
 * --allow-cluster-changes: how the run's nodes get the approvals their
 * spec asks for on a cluster whose bindings say otherwise, changing as
 * little of the cluster as it can.
 *
 * Every bootstrap token of such a run carries a group of the run's own,
 * bound by the run to system:node-bootstrapper, and to nodeclient only for
 * specs whose first certificates are approved automatically; every node whose
 * renewals are approved automatically gets selfnodeclient bound to its own
 * user. So the run's auto-approved nodes depend on nothing of the cluster's,
 * and the cluster's bindings only need changing where they would approve
 * every token or every node (system:bootstrappers, system:nodes,
 * system:authenticated): those subjects are taken out of the cluster's
 * nodeclient (or selfnodeclient) bindings for the run, each binding's
 * original recorded before the change and put back at the end
 * (cluster-objects.ts). That is the one change the cluster's own nodes can
 * notice: while the run lasts, their tokens (or renewals) are not approved
 * automatically either. The checks exercise sarapprove.go's rule (the
 * requester may create certificatesigningrequests/nodeclient, or
 * /selfnodeclient for its own node) through bindings of the run's, not
 * through the cluster's own ones: without the flag the run uses those.
 */

/** The groups the run's bootstrap tokens carry (BootstrapGroupPattern: system:bootstrappers:[a-z0-9:-]*[a-z0-9]). */
export function runBootstrapGroups(runId: string): { approved: string; byHand: string } {
  return { approved: `system:bootstrappers:ktc:${runId}:approved`, byHand: `system:bootstrappers:ktc:${runId}:by-hand` };
}

/** Subjects that cover every bootstrap token, or every node, of any run. */
const EVERY_TOKEN: readonly Subject[] = [
  { kind: "Group", name: "system:bootstrappers" },
  { kind: "Group", name: "system:authenticated" },
];
const EVERY_NODE: readonly Subject[] = [
  { kind: "Group", name: "system:nodes" },
  { kind: "Group", name: "system:authenticated" },
];

const group = (name: string): Subject => ({ kind: "Group", name });
const covers = (wide: readonly Subject[]) => (s: RbacV1Subject) => wide.some((w) => w.kind === s.kind && w.name === s.name);

const csrAttributes = (subresource?: string): V1ResourceAttributes => ({
  group: "certificates.k8s.io",
  resource: "certificatesigningrequests",
  verb: "create",
  ...(subresource ? { subresource } : {}),
});

/**
 * Makes the cluster give the nodes of a spec with `want` their approvals
 * (above), and returns the groups their bootstrap tokens carry. Called by
 * each spec's bring-up; the run's bindings are shared by its specs, and
 * removing a subject twice is no change, so specs may come in any order.
 */
export async function reachApprovals(kube: KubeClients, where: Where, runId: string, want: AutoApproveBindings): Promise<string[]> {
  const groups = runBootstrapGroups(runId);
  await createRunBinding(kube, where, binding(`ktc-${runId}:node-bootstrapper`, NODE_BOOTSTRAPPER, [group(groups.approved), group(groups.byHand)]));
  await createRunBinding(kube, where, binding(`ktc-${runId}:nodeclient`, NODECLIENT, [group(groups.approved)]));
  if (!want.bootstrap) await withoutSubjects(kube, where, NODECLIENT, EVERY_TOKEN, "the cluster's own bootstrap tokens");
  if (!want.renewal) await withoutSubjects(kube, where, SELFNODECLIENT, EVERY_NODE, "the cluster's own nodes' renewals");
  const mine = want.bootstrap ? groups.approved : groups.byHand;
  // The API server and kube-controller-manager's approver see RBAC through caches: a node joins only once they say what the spec needs.
  const token = { user: `system:bootstrap:ktcprb`, groups: [mine, "system:bootstrappers", "system:authenticated"] };
  await confirmAccess(kube, token, csrAttributes(), true);
  await confirmAccess(kube, token, csrAttributes("nodeclient"), want.bootstrap);
  if (!want.renewal) await confirmAccess(kube, { user: `system:node:ktc-${runId}-probe`, groups: ["system:nodes", "system:authenticated"] }, csrAttributes("selfnodeclient"), false);
  return [mine];
}

/** Binds selfnodeclient to one node of the run, before its kubelet starts (its renewals are then approved automatically). */
export async function bindSelfNodeClient(kube: KubeClients, where: Where, runId: string, node: string): Promise<void> {
  const user = `system:node:${node}`;
  await createRunBinding(kube, where, binding(`ktc-${runId}:selfnodeclient:${node}`, SELFNODECLIENT, [{ kind: "User", name: user }]));
  await confirmAccess(kube, { user, groups: ["system:nodes", "system:authenticated"] }, csrAttributes("selfnodeclient"), true);
}

/** Recorded before it exists; another spec of the run may have created it already. */
async function createRunBinding(kube: KubeClients, where: Where, body: V1ClusterRoleBinding): Promise<void> {
  await recordRunBinding(where, body.metadata!.name!);
  try {
    await kube.rbac.createClusterRoleBinding({ body });
  } catch (err) {
    if (apiStatus(err) !== 409) throw err;
  }
}

/**
 * Takes `wide` out of every binding of `role`, each binding's original
 * recorded first. The first writer of a binding's original file wins (O_EXCL)
 * and any change follows a write attempt, so the recorded original is always
 * the cluster's own, whichever spec gets there first.
 */
async function withoutSubjects(kube: KubeClients, where: Where, role: string, wide: readonly Subject[], whoNotices: string): Promise<void> {
  await eventually(
    async () => {
      const bindings = (await kube.rbac.listClusterRoleBinding()).items.filter((b) => b.roleRef.kind === "ClusterRole" && b.roleRef.name === role && (b.subjects ?? []).some(covers(wide)));
      for (const b of bindings) {
        await keepOriginal(where, b);
        const removed = b.subjects!.filter(covers(wide));
        try {
          await kube.rbac.replaceClusterRoleBinding({ name: b.metadata!.name!, body: { ...b, subjects: b.subjects!.filter((s) => !covers(wide)(s)) } });
        } catch (err) {
          if (apiStatus(err) === 409) return undefined; // changed meanwhile: read it again
          throw err;
        }
        warn(`--allow-cluster-changes: took ${removed.map((s) => `${s.kind} ${s.name}`).join(", ")} out of ClusterRoleBinding ${b.metadata!.name} (${role}) for the run; ${whoNotices} are not approved automatically until the run puts it back`);
      }
      return bindings.length === 0 ? true : undefined;
    },
    { what: `no binding of ${role} to ${wide.map((s) => s.name).join(" or ")}`, timeoutMs: Timeouts.componentReady },
  );
}

/** `<runDir>/cluster-bindings/<name>.json`: the binding as the cluster had it, written once, then recorded for its restorer. */
async function keepOriginal(where: Where, b: V1ClusterRoleBinding): Promise<void> {
  const dir = join(where.runDir, "cluster-bindings");
  const file = join(dir, `${b.metadata!.name}.json`);
  await mkdir(dir, { recursive: true });
  try {
    const handle = await open(file, "wx");
    try {
      await handle.writeFile(JSON.stringify(b));
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  await recordBindingEdit(where, b.metadata!.name!, file);
}

/** Waits until the authorizer answers `allowed` for this subject (a SubjectAccessReview, as sarapprove.go asks). */
async function confirmAccess(kube: KubeClients, who: { user: string; groups: string[] }, attributes: V1ResourceAttributes, allowed: boolean): Promise<void> {
  await eventually(
    async () => {
      const review = await kube.authorization.createSubjectAccessReview({ body: { spec: { user: who.user, groups: who.groups, resourceAttributes: attributes } } });
      return !!review.status?.allowed === allowed ? true : undefined;
    },
    { what: `the authorizer to ${allowed ? "allow" : "refuse"} ${who.user} (${who.groups[0]}) create ${attributes.resource}${attributes.subresource ? `/${attributes.subresource}` : ""}`, timeoutMs: Timeouts.componentReady },
  );
}
