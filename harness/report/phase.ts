import { expect } from "@jest/globals";
import * as allure from "allure-js-commons";
import { timed } from "../log";

/**
 * One phase of bringing a node to its certificate (cluster up, token, kubelet
 * start, CSR seen, approval, certificate on disk): a timed progress line and,
 * inside a check, an Allure step, so the report shows where a failure stopped.
 *
 * Outside a check (the beforeAll hooks of prepared steps) it is only the
 * progress line: allure-jest keeps no steps for those hooks (their fixtures in
 * the results have none), and there the phases of several clusters and nodes
 * run at once, which allure-jest's one stack of open steps cannot follow (it
 * printed "could not handle step stop message: no step is running").
 */
export async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (expect.getState().currentTestName === undefined) return (await timed(name, fn)).value;
  return allure.step(name, async (ctx) => {
    const { value, ms } = await timed(name, fn);
    await ctx.parameter("seconds", (ms / 1000).toFixed(1));
    return value;
  });
}
