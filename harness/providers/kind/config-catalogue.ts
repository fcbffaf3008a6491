import { defaultClusterSpec, type ClusterSpec } from "../spec";
import { renderKindConfig } from "./kind-config";
import { kubeadmApiVersion } from "./kubeadm-api";

/**
 * The kind configs of kind-configs/, for vendors to read (and to run with
 * `kind create cluster --config`): the same renderer the provider uses, with
 * the specs the suites ask for. A unit test keeps the files equal to it;
 * `npm run kind-configs` rewrites them.
 */
export interface CatalogueEntry {
  file: string;
  about: string[];
  spec: ClusterSpec;
}

/** In the files, where the harness puts the cluster's own directory (tokens.csv lives there). */
export const PLACEHOLDER_KTC_DIR = "/tmp/ktc/RUN/cN/ktc";
/**
 * One release per kubeadm API kind v0.33 writes: v1beta3 for 1.35, v1beta4
 * from 1.36. The files go to kind-configs/<api>/ so each shows its API; they
 * differ only in the shape of extraArgs (a map, or a list of name/value pairs).
 */
export const CATALOGUE_K8S_VERSIONS = ["v1.35.4", "v1.37.2"] as const;

/** kind-configs/<api>/<file>, e.g. v1beta4/auto-approve.yaml. */
export function cataloguePath(e: CatalogueEntry, k8sVersion: string): string {
  return `${kubeadmApiVersion(k8sVersion).split("/")[1]}/${e.file}`;
}

const kubeadm = (o: Partial<ClusterSpec>): ClusterSpec => defaultClusterSpec({ bindingStyle: "kubeadm", ...o });

export const KIND_CONFIG_CATALOGUE: CatalogueEntry[] = [
  {
    file: "auto-approve.yaml",
    about: [
      "kind's default bindings: kubeadm creates kubeadm:node-autoapprove-bootstrap (nodeclient) and",
      "kubeadm:node-autoapprove-certificate-rotation (selfnodeclient). Suites: bootstrap, approval, certdir, lifetime, security,",
      "serving (its node joins with KubeletConfiguration serverTLSBootstrap: a node's own setting, not the cluster's).",
    ],
    spec: kubeadm({}),
  },
  {
    file: "no-auto-approve.yaml",
    about: [
      "Without the nodeclient auto-approve binding. kubeadm has no switch to skip it (its bootstrap-token",
      "phase also creates kubeadm:kubelet-bootstrap), so the harness creates the cluster with this config and",
      "deletes kubeadm:node-autoapprove-bootstrap through the API before any extra node joins:",
      "`kubectl delete clusterrolebinding kubeadm:node-autoapprove-bootstrap`. Suites: approval, security.",
      "The renewal suite's variant without selfnodeclient deletes kubeadm:node-autoapprove-certificate-rotation",
      "the same way, on its cluster with short-lived client certificates.",
    ],
    spec: kubeadm({ autoApprove: { bootstrap: false, renewal: true } }),
  },
  {
    file: "short-lived-client-certs.yaml",
    about: [
      "Client certificates signed for 3 minutes (kube-controller-manager --cluster-signing-duration), so the",
      "kubelet renews within minutes. Suites: renewal.",
    ],
    spec: kubeadm({ signingDurationSeconds: 180 }),
  },
];

export function renderCatalogueFile(e: CatalogueEntry, k8sVersion: string): string {
  const api = kubeadmApiVersion(k8sVersion);
  const header = [
    `# ${cataloguePath(e, k8sVersion)}: rendered by harness/providers/kind/config-catalogue.ts (npm run kind-configs); do not edit.`,
    `# ${api}: the kubeadm config API kind v0.33 writes for Kubernetes ${api.endsWith("v1beta4") ? ">= 1.36" : "1.23-1.35"} (rendered for ${k8sVersion}).`,
    ...e.about.map((l) => `# ${l}`),
    "# No default CNI and no kube-proxy: TLS bootstrap needs neither, and the offline node image (tools/kind)",
    "# carries no kindnetd. The static token file (the token-file credential) is mounted from the cluster's",
    `# directory, shown here as ${PLACEHOLDER_KTC_DIR}. Rendered for a cgroup v2 host: on cgroup v1 the harness`,
    "# adds failCgroupV1: false to the KubeletConfiguration patch (kubelets from 1.35 refuse cgroup v1 otherwise).",
  ];
  return header.join("\n") + "\n" + renderKindConfig({ spec: e.spec, k8sVersion, hostCgroup: "v2", ktcHostDir: PLACEHOLDER_KTC_DIR });
}
