import type { ResourceDeleter } from "../run/resources";

/**
 * A provider as the CLI and the run directory code know it, through the
 * registry (registry.ts) and nothing else: kind's provider split, where each
 * provider owns its whole lifecycle. Everything provider-specific (what to
 * prepare, what it records and how to delete it, what a lost run of it
 * leaves) is answered here, so a new provider is one new folder plus its
 * registry entry.
 */
export interface ProviderDefinition {
  readonly name: string;
  /**
   * A deleter per kind of object the provider records, in the order a sweep
   * deletes them; `npm run cleanup` calls them from the records alone.
   */
  readonly resourceDeleters: readonly ResourceDeleter[];
  /** What a finished run of this provider may have left outside its directory, by kind (leak-scan.ts). */
  readonly leftovers: LeftoverScan;
  /**
   * `npm run cleanup -- --all`: removes what runs of this runs root left
   * outside their (now lost) directories; returns what it removed, as lines
   * for the console. Providers whose objects all live under the run
   * directory, or carry its name, need none.
   */
  sweepLostRuns?(runsRoot: string, liveRunIds: ReadonlySet<string>): Promise<string[]>;
}

export interface LeftoverScan {
  /** The kinds the scan reports, each a key of its answer (also when empty). */
  readonly kinds: readonly string[];
  /** The names of the objects of these runs that still exist, by kind. */
  find(runIds: readonly string[]): Promise<Record<string, string[]>>;
}
