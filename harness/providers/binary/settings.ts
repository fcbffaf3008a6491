import type { Fault } from "../fault-injection";

/** What the CLI prepared for the binary provider, handed to the suites (RunEnv.providerSettings, as JSON). */
export interface BinarySettings {
  /** KTC_ETCD_BIN, else etcd on PATH (Debian's etcd-server). */
  etcdBin: string;
  /** Negative controls only: every cluster of the run is built with these (faults.ts). */
  faults: Fault[];
}
