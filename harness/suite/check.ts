import { it } from "@jest/globals";
import { attachFailureLogs, labelCheck } from "../report/allure";
import type { ClusterFixture } from "./use-cluster";

/**
 * One conformance check: a jest test with the Allure labels of its suite and
 * story; when it fails, the control-plane and kubelet log tails are attached
 * as evidence before the failure is reported.
 */
export function check(suite: string, fixture: ClusterFixture, story: string, body: () => Promise<void>, timeoutMs?: number): void {
  it(
    story,
    async () => {
      await labelCheck(fixture.env, suite, story);
      try {
        await body();
      } catch (err) {
        await attachFailureLogs(fixture.cluster, fixture.nodes).catch(() => undefined);
        throw err;
      }
    },
    timeoutMs,
  );
}
