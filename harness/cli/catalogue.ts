import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../binaries/layout";

export interface SuiteEntry {
  name: string;
  summary: string;
  /** Its wait is set by Kubernetes' clocks (a certificate's life): started first when suites run side by side. */
  longWait?: boolean;
}

/** suites/catalogue.json: the suites jest knows as projects (jest.config.js reads it too). */
export function suiteCatalogue(): SuiteEntry[] {
  return JSON.parse(readFileSync(join(REPO_ROOT, "suites", "catalogue.json"), "utf8")) as SuiteEntry[];
}
