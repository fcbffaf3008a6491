import { mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { HarnessError } from "../errors";

/** Host-wide, not per runs root: runs under different roots share the host's addresses. */
export function hostLockDir(): string {
  return process.env.KTC_HOST_LOCK_DIR ?? "/run/lock/kubelet-tls-conformance";
}

/**
 * Runs `critical` while this process holds an exclusive flock(2) on
 * hostLockDir()/<name>.lock, so that two runs on one machine (two `npm test`,
 * the CI's lanes, a soak beside a suite) never pick the same host resource
 * between looking and taking it.
 *
 * flock(1) takes the lock on the file description it inherits as fd 3; the
 * lock belongs to that description, which this process keeps open, so it is
 * held after flock(1) exits and released when the file is closed here, or by
 * the kernel when this process dies: a killed run never leaves it held.
 */
export async function withHostLock<T>(name: string, critical: () => Promise<T>, o: { timeoutS?: number } = {}): Promise<T> {
  const timeoutS = o.timeoutS ?? 60;
  await mkdir(hostLockDir(), { recursive: true });
  const path = join(hostLockDir(), `${name}.lock`);
  const file = await open(path, "a");
  try {
    // node's spawn, not execa: execa's options do not take a file descriptor beyond stderr.
    const flock = spawn("flock", ["--exclusive", "--timeout", String(timeoutS), "3"], { stdio: ["ignore", "ignore", "pipe", file.fd] });
    let stderr = "";
    flock.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(flock, "close")) as [number | null];
    if (code !== 0) {
      throw new HarnessError(`could not take the host lock ${path} within ${timeoutS}s (flock exit ${code}${stderr ? `: ${stderr.trim()}` : ""})`, {
        hint: `another run holds it; list its holders with: fuser -v ${path}`,
      });
    }
    return await critical();
  } finally {
    await file.close();
  }
}
