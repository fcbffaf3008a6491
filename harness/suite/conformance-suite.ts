import { describe } from "@jest/globals";
import { readRunEnv } from "../run/run-env";
import { markSuiteDeclared } from "./suite-declarations";

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
}
