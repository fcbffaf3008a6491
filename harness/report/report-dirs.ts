import { join } from "node:path";
import { REPO_ROOT } from "../binaries/layout";

/** reports/ (KTC_REPORTS_DIR moves it): everything a run leaves for people to read. */
export function reportsDir(): string {
  return process.env.KTC_REPORTS_DIR ?? join(REPO_ROOT, "reports");
}
