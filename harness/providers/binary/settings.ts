/** What the CLI prepared for the binary provider, handed to the suites (RunEnv.providerSettings, as JSON). */
export interface BinarySettings {
  /** KTC_ETCD_BIN, else etcd on PATH (Debian's etcd-server). */
  etcdBin: string;
}
