import * as allure from "allure-js-commons";
import { timed } from "../log";

/**
 * One phase of bringing a node to its certificate (cluster up, token, kubelet
 * start, CSR seen, approval, certificate on disk): an Allure step, so the
 * report shows where a failure stopped, and a timed progress line.
 */
export async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return allure.step(name, async (ctx) => {
    const { value, ms } = await timed(name, fn);
    await ctx.parameter("seconds", (ms / 1000).toFixed(1));
    return value;
  });
}
