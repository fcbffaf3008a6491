import type { ClusterOffer } from "./cluster-offer";
import type { NodePlacement } from "./node-placement";
import type { TokenFileCredential } from "./token-file-credential";

/** What the existing provider's prepare found, handed to the suites as JSON. */
export interface ExistingSettings {
  kubeconfig: string;
  context: string;
  server: string;
  /** The server's /version. */
  gitVersion: string;
  /** The kubelet release the run joins (kubelet-release.ts). */
  kubeletRelease: string;
  allowClusterChanges: boolean;
  /** Where the run's test nodes run (node-placement.ts). */
  nodes: NodePlacement;
  /** What the cluster offers the suites (cluster-offer.ts). */
  offer: ClusterOffer;
  /** The vendor's token-file credential, if the config declared one: where its token is and whom it authenticates as (never the token). */
  tokenFile?: TokenFileCredential;
}
