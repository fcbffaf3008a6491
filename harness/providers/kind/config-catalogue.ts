import { defaultClusterSpec, type ClusterSpec } from "../spec";
import { renderKindConfig } from "./kind-config";

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
export const CATALOGUE_K8S_VERSION = "v1.34.4";

const kubeadm = (o: Partial<ClusterSpec>): ClusterSpec => defaultClusterSpec({ bindingStyle: "kubeadm", ...o });

export const KIND_CONFIG_CATALOGUE: CatalogueEntry[] = [
  {
    file: "auto-approve.yaml",
    about: [
      "kind's default bindings: kubeadm creates kubeadm:node-autoapprove-bootstrap (nodeclient) and",
      "kubeadm:node-autoapprove-certificate-rotation (selfnodeclient). Suites: bootstrap, approval, certdir, lifetime, security.",
    ],
    spec: kubeadm({}),
  },
  {
    file: "no-auto-approve.yaml",
    about: [
      "Without the auto-approve bindings. kubeadm has no switch to skip only those two (its bootstrap-token",
      "phase also creates kubeadm:kubelet-bootstrap), so the harness creates the cluster with this config and",
      "deletes kubeadm:node-autoapprove-bootstrap and kubeadm:node-autoapprove-certificate-rotation through",
      "the API before any extra node joins: `kubectl delete clusterrolebinding <name>`. Suites: approval.",
    ],
    spec: kubeadm({ autoApprove: { bootstrap: false, renewal: false } }),
  },
  {
    file: "short-lived-client-certs.yaml",
    about: [
      "Client certificates signed for 3 minutes (kube-controller-manager --cluster-signing-duration), so the",
      "kubelet renews within minutes. Suites: renewal.",
    ],
    spec: kubeadm({ signingDurationSeconds: 180 }),
  },
  {
    file: "server-tls-bootstrap.yaml",
    about: ["Kubelets ask for their serving certificate (KubeletConfiguration serverTLSBootstrap). Suites: serving."],
    spec: kubeadm({ serverTLSBootstrap: true }),
  },
];

export function renderCatalogueFile(e: CatalogueEntry): string {
  const header = [
    `# ${e.file}: rendered by harness/providers/kind/config-catalogue.ts (npm run kind-configs); do not edit.`,
    ...e.about.map((l) => `# ${l}`),
    "# No default CNI and no kube-proxy: TLS bootstrap needs neither, and the offline node image (tools/kind)",
    "# carries no kindnetd. The static token file (the token-file credential) is mounted from the cluster's",
    `# directory, shown here as ${PLACEHOLDER_KTC_DIR}.`,
  ];
  return header.join("\n") + "\n" + renderKindConfig({ spec: e.spec, k8sVersion: CATALOGUE_K8S_VERSION, ktcHostDir: PLACEHOLDER_KTC_DIR });
}
