import { it } from "@jest/globals";
import type { Cluster } from "../providers/provider";
import { attachFailureLogs, labelCheck } from "../report/allure";
import type { ClusterFixture } from "./use-cluster";

/**
 * One conformance check: a jest test with the Allure labels of its suite and
 * story; when it fails, the logs are attached as evidence before the failure
 * is reported. The steps it stands on run inside it (see prepared()), so a
 * failed step fails here too, with the same labels and evidence.
 */
export function check(suite: string, fixture: ClusterFixture, story: string, body: () => Promise<void>, timeoutMs?: number): void {
  if (fixture.skipReason) {
    // Jest cannot skip from inside a test, so the reason travels in the name: the console and Allure both show it.
    it.skip(`${story} (skipped: ${fixture.skipReason})`, body);
    return;
  }
  it(
    story,
    async () => {
      await labelCheck(fixture.env, suite, story);
      try {
        await body();
      } catch (err) {
        await attachFailureLogs(clusterIfUp(fixture), fixture.nodes, fixture.startedAt).catch(() => undefined);
        throw err;
      }
    },
    timeoutMs,
  );
}

function clusterIfUp(fixture: ClusterFixture): Cluster | undefined {
  try {
    return fixture.cluster;
  } catch {
    return undefined;
  }
}
