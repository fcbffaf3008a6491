import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Status } from "allure-js-commons";
import type { Category } from "allure-js-commons/sdk";
import { FileSystemWriter, ReporterRuntime } from "allure-js-commons/sdk/reporter";

export const CATEGORIES = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), "categories.json"), "utf8"),
) as Category[];

/** An Allure runtime writing into the results dir from outside jest (the CLI). */
export function cliReporter(resultsDir: string, environmentInfo?: Record<string, string>): ReporterRuntime {
  return new ReporterRuntime({ writer: new FileSystemWriter({ resultsDir }), categories: CATEGORIES, environmentInfo });
}

/**
 * A failure before any suite could start (no binaries, no root, a bad
 * config) still belongs in the report, as kubetest2 reports its lifecycle
 * steps: one "broken" test case, so it lands among the harness errors.
 */
export function reportSetupFailure(resultsDir: string, labels: { version: string; provider: string }, err: Error & { hint?: string }): void {
  const rt = cliReporter(resultsDir);
  const uuid = rt.startTest({
    name: "harness setup (binaries, host programs, run directory)",
    fullName: "harness:setup",
    labels: [
      { name: "parentSuite", value: labels.version },
      { name: "suite", value: labels.provider },
      { name: "subSuite", value: "harness" },
      { name: "feature", value: "harness" },
    ],
  });
  rt.updateTest(uuid, (r) => {
    r.status = Status.BROKEN;
    r.statusDetails = { message: err.hint ? `${err.message}\nhint: ${err.hint}` : err.message, trace: err.stack };
  });
  rt.stopTest(uuid);
  rt.writeTest(uuid);
  rt.writeCategoriesDefinitions();
}
