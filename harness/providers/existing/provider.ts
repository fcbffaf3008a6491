import { ProvisionError } from "../../errors";
import type { Cluster, ClusterProvider } from "../provider";
import type { ClusterSpec } from "../spec";
import type { ExistingSettings } from "./settings";

/**
 * A cluster the harness did not create. Work in progress (issue 11): the
 * preflight and the kubelet release are done; joining nodes to the cluster
 * (step 3) is not, so a run stops here with that said.
 */
export class ExistingProvider implements ClusterProvider {
  readonly name = "existing";

  constructor(private readonly settings: ExistingSettings) {}

  async create(_spec: ClusterSpec): Promise<Cluster> {
    throw new ProvisionError(`joining nodes to the existing cluster ${this.settings.server} is not built yet`, {
      hint: "--provider existing --prepare-only runs the preflight against the cluster; the suites need the binary or kind provider for now",
    });
  }

  async attach(handle: string): Promise<Cluster> {
    throw new ProvisionError(`no cluster ${handle} to attach to: the existing provider makes none yet`);
  }
}
