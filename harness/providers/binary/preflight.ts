import { access, constants } from "node:fs/promises";
import { run } from "../../exec/command";
import { mayInstall, runSetupHost } from "../../exec/setup-host";
import { PreflightError } from "../../errors";
import { info } from "../../log";

/**
 * Host programs the binary provider runs besides the Kubernetes binaries and
 * the node runtime (containerd 2 and runc, built from tools/containerd and
 * tools/runc: harness/runtime/node-runtime.ts).
 */
export const HOST_PROGRAMS = [
  { name: "ip", pkg: "iproute2" },
  { name: "nsenter", pkg: "util-linux" },
] as const;

async function onPath(name: string): Promise<boolean> {
  return run(["sh", "-c", 'command -v "$1"', "sh", name]).then(() => true, () => false);
}

async function missingPrograms(etcdBin: string): Promise<string[]> {
  const missing: string[] = [];
  for (const p of HOST_PROGRAMS) if (!(await onPath(p.name))) missing.push(`${p.name} (Debian package ${p.pkg})`);
  try {
    await access(etcdBin, constants.X_OK);
  } catch {
    if (!(await onPath(etcdBin))) missing.push(`${etcdBin} (Debian package etcd-server, or set KTC_ETCD_BIN)`);
  }
  return missing;
}

/**
 * On a fresh machine `npm test` installs the missing host programs itself
 * (tools/setup-host.sh, apt-get, as root); KTC_NO_INSTALL=1 turns that off.
 */
export async function ensureHostPrograms(etcdBin: string): Promise<void> {
  const missing = await missingPrograms(etcdBin);
  if (!missing.length || !mayInstall()) return;
  info(`installing missing host programs: ${missing.join(", ")}`);
  await runSetupHost();
}

/**
 * What the binary provider needs from the machine, checked before anything is
 * created, each with the fix: root (network namespaces, kubelet), the host
 * programs, and an etcd.
 */
export async function binaryPreflight(etcdBin: string): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new PreflightError("the binary provider must run as root: it creates network namespaces and runs kubelets", {
      hint: "run `sudo npm test -- ...`, or use --provider kind",
    });
  }
  const missing = await missingPrograms(etcdBin);
  if (missing.length) {
    throw new PreflightError(`the binary provider needs programs that are not installed: ${missing.join(", ")}`, {
      hint: "run tools/setup-host.sh (as root) to install them",
    });
  }
}
