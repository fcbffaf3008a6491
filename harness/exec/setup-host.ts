import { join } from "node:path";
import { REPO_ROOT } from "../binaries/layout";
import { run } from "./command";

/** Whether the harness may install host programs itself: as root, unless KTC_NO_INSTALL=1 forbids it. */
export function mayInstall(): boolean {
  return process.env.KTC_NO_INSTALL !== "1" && process.getuid?.() === 0;
}

/** Runs tools/setup-host.sh (with a mode such as `kind`), its output shown as it goes. */
export async function runSetupHost(mode?: string): Promise<void> {
  const argv = ["bash", join(REPO_ROOT, "tools", "setup-host.sh"), ...(mode ? [mode] : [])];
  await run(argv, {
    stdout: ["pipe", "inherit"],
    stderr: ["pipe", "inherit"],
    hint: `run \`bash tools/setup-host.sh${mode ? ` ${mode}` : ""}\` by hand to see the whole output`,
  });
}
