/** What the CLI prepared for the kind provider, handed to the suites (RunEnv.providerSettings, as JSON). */
export interface KindSettings {
  /** The kind CLI: KTC_KIND_BIN, on PATH, or the pinned build. */
  kindBin: string;
  /** KTC_KIND_NODE_IMAGE, or the image built offline from the run's binaries. */
  nodeImage: string;
}
