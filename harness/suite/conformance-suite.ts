import { afterAll, beforeAll, describe } from "@jest/globals";
import { providerFor } from "../providers/registry";
import { readRunEnv, type RunEnv } from "../run/run-env";
import { Timeouts } from "../wait/timeouts";
import { releaseUnneededClusters } from "./cluster-release";
import { allDeclared, markSuiteDeclared } from "./suite-declarations";

/**
 * The top of every suite file. allure-jest turns the describe path into the
 * parentSuite / suite / subSuite labels, so the path is Kubernetes version →
 * provider → suite: the report's tree, and jest's test names, read
 * "v1.34.4 › binary › renewal › …". Once the body is collected, the suite
 * has declared every cluster it uses (cluster-release.ts).
 */
export function conformanceSuite(suite: string, title: string, body: () => void): void {
  const env = readRunEnv();
  describe(env.k8sVersion, () => describe(env.provider, () => describe(suite, () => describe(title, body))));
  // jest ran the describe blocks as it collected them: every useCluster of the suite has been declared.
  markSuiteDeclared(env.runDir, suite);
  if (!env.keep && allDeclared(env.runDir, env.suites)) releaseClustersOthersLeft(env);
}

/**
 * This suite completed the run's declarations: the clusters of suites that
 * ended before it was collected go now, beside its own checks (not before
 * them), and it waits for them at its end so that their errors are its own.
 */
function releaseClustersOthersLeft(env: RunEnv): void {
  let releasing: Promise<unknown> = Promise.resolve();
  beforeAll(() => {
    const released = releaseUnneededClusters({ runDir: env.runDir, suites: env.suites, provider: providerFor(env) });
    // Awaited in afterAll; until then a failure is not an unhandled rejection.
    released.catch(() => undefined);
    releasing = released;
  });
  afterAll(() => releasing, Timeouts.clusterDown);
}
