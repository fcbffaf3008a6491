import { KubeConfig } from "@kubernetes/client-node";
import { resolveKubeBinaries } from "../../binaries/resolve";
import { info, warn } from "../../log";
import { resolveNodeRuntime } from "../../runtime/node-runtime";
import type { PreparedRun, PrepareRequest } from "../definition";
import { clientsFromFile } from "../../kube/clients";
import { offeredAutoApprove, readClusterOffer, tokenFileAutoApproved } from "./cluster-offer";
import { kubeletReleaseFor } from "./kubelet-release";
import { prepareContainerNodes, type NodePlacement } from "./node-placement";
import { preflightExistingCluster } from "./preflight";
import type { ExistingSettings } from "./settings";
import { describeDeclaration } from "./token-file-credential";
import { preflightTokenFileCredential } from "./token-file-preflight";

/**
 * Before the first suite: the cluster answers and the credentials hold every
 * right the run uses (preflight.ts), and the token-file credential the config
 * declares, if any, authenticates (token-file-preflight.ts); then, for nodes
 * that are local processes, the kubelet of the cluster's release (within the
 * version-skew policy) and the node runtime, built when missing, as for the
 * binary provider's nodes; for node containers, docker, their image and
 * network (node-placement.ts).
 */
export async function prepareExisting(request: PrepareRequest): Promise<PreparedRun<ExistingSettings>> {
  const facts = await preflightExistingCluster(request.kubeconfig, { allowClusterChanges: request.allowClusterChanges });
  const admin = new KubeConfig();
  admin.loadFromFile(facts.kubeconfigPath);
  const tokenFile = request.tokenFile ? await preflightTokenFileCredential(admin, request.tokenFile) : undefined;
  const kubeletRelease = kubeletReleaseFor(facts.gitVersion, facts.minor);
  const inContainers = request.nodes?.placement === "container";
  const nodes: NodePlacement = request.nodes?.placement === "container" ? await prepareContainerNodes(request.nodes, facts) : { placement: "process" };
  info(
    `existing cluster ${facts.server} (context ${facts.context}): Kubernetes ${facts.gitVersion}; ` +
      (nodes.placement === "container"
        ? `its test nodes are containers of ${nodes.image} (${nodes.kubeletVersion}) on docker network ${nodes.network}`
        : `its test nodes are local processes running kubelet ${kubeletRelease}`),
  );
  // kubectl for the suites whatever the placement; the kubelet and its runtime only for local processes.
  const bins = await resolveKubeBinaries({ version: kubeletRelease, userDir: request.userBinDir, required: inContainers ? ["kubectl"] : ["kubelet", "kubectl"] });
  if (!inContainers) await resolveNodeRuntime({ build: true });
  const offer = await readClusterOffer(clientsFromFile(facts.kubeconfigPath));
  const auto = offeredAutoApprove(offer);
  info(
    `existing cluster: first client certificates ${auto.bootstrap ? "approved automatically" : "not approved automatically"} (nodeclient bound to ${offer.nodeclient.join(", ") || "nobody"}); ` +
      `renewals ${auto.renewal ? "approved automatically" : "not approved automatically"} (selfnodeclient bound to ${offer.selfnodeclient.join(", ") || "nobody"})`,
  );
  if (request.allowClusterChanges) {
    warn(
      "--allow-cluster-changes: the run's nodes are approved through bindings of the run's own, and where a check needs approvals by hand the run takes " +
        "system:bootstrappers / system:nodes out of the cluster's nodeclient / selfnodeclient bindings until it ends (then puts them back, also after Ctrl-C, and `npm run cleanup` after a kill)",
    );
  }
  if (tokenFile) {
    info(
      `existing cluster: token-file nodes join with ${describeDeclaration(tokenFile.declared)}, as ${tokenFile.identity.user} (groups ${tokenFile.identity.groups.join(", ")}); ` +
        `their first client certificates ${tokenFileAutoApproved(offer, tokenFile.identity) ? "approved automatically" : "not approved automatically"}`,
    );
  } else {
    info("existing cluster: no token-file credential declared (tokenFileToken or tokenFileBootstrapKubeconfig in --config): the checks of token-file nodes are skipped");
  }
  return {
    bins,
    baseSpec: request.baseSpec,
    settings: {
      kubeconfig: facts.kubeconfigPath,
      context: facts.context,
      server: facts.server,
      gitVersion: facts.gitVersion,
      kubeletRelease,
      allowClusterChanges: request.allowClusterChanges,
      nodes,
      offer,
      ...(tokenFile ? { tokenFile } : {}),
    },
  };
}
