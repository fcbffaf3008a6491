import { access, constants, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { run } from "../exec/command";
import { PreflightError } from "../errors";
import { info } from "../log";
import { buildFromSource, noPinError } from "./build-from-source";
import { DownloadUnavailableError, downloadRelease } from "./download";
import { cachedBinDir, completeMarker, KUBE_BINARIES } from "./layout";
import { isPinned } from "./pinned-version";

export type BinarySource = "user-dir" | "cache" | "download" | "build";

export interface ResolvedBinaries {
  dir: string;
  version: string;
  source: BinarySource;
}

export interface ResolveOptions {
  version: string;
  /** --k8s-bin-dir or K8S_BIN_DIR: a vendor's own build, used as it is. */
  userDir?: string;
  /** Binaries the caller needs from the directory (all by default). */
  required?: readonly string[];
}

async function missingIn(dir: string, names: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const n of names) {
    try {
      await access(join(dir, n), constants.X_OK);
    } catch {
      missing.push(n);
    }
  }
  return missing;
}

/** "Kubernetes v1.34.4" → "v1.34.4". */
export async function binaryVersion(path: string): Promise<string> {
  const out = (await run([path, "--version"])).stdout.trim();
  return out.split(/\s+/).pop() ?? out;
}

/**
 * Finds Kubernetes binaries in this order: the user's directory, the cache,
 * an official download (checksummed), a build from the pinned Go module.
 * When none works the error lists every option and why each was not taken.
 */
export async function resolveKubeBinaries(opts: ResolveOptions): Promise<ResolvedBinaries> {
  const required = opts.required ?? KUBE_BINARIES;
  if (opts.userDir) {
    const missing = await missingIn(opts.userDir, required);
    if (missing.length) {
      throw new PreflightError(`--k8s-bin-dir ${opts.userDir} lacks executable ${missing.join(", ")}`, {
        hint: `put ${required.join(", ")} in that directory, or drop --k8s-bin-dir to use the cache or a build`,
      });
    }
    return { dir: opts.userDir, version: await binaryVersion(join(opts.userDir, "kubelet")), source: "user-dir" };
  }

  const dir = cachedBinDir(opts.version);
  if ((await isComplete(opts.version)) && (await missingIn(dir, required)).length === 0) {
    return { dir, version: opts.version, source: "cache" };
  }

  const reasons: string[] = [];
  await mkdir(dir, { recursive: true });
  try {
    await downloadRelease(opts.version, dir);
    await markComplete(opts.version, "download");
    return { dir, version: opts.version, source: "download" };
  } catch (err) {
    if (!(err instanceof DownloadUnavailableError)) throw err;
    reasons.push(`official download: ${err.message}`);
    // Without a pin there is nothing to build: say which releases can be.
    if (!isPinned(opts.version)) {
      await rm(dirname(dir), { recursive: true, force: true });
      throw noPinError(opts.version, `the official download is not available (${err.message})`);
    }
    info(`official release download not available (${err.message}); building from source instead`);
  }

  try {
    await run(["go", "version"], { hint: "install Go" });
  } catch {
    reasons.push("build from source: `go` is not on PATH");
    throw new PreflightError(`no Kubernetes ${opts.version} binaries could be found, downloaded or built`, {
      hint: [
        "pass --k8s-bin-dir DIR (or K8S_BIN_DIR) with your own kube-apiserver, kube-controller-manager, kubelet, kubectl;",
        `or go online so the official release can be downloaded into ${dir};`,
        "or install Go so the pinned sources in tools/k8s can be built.",
        ...reasons.map((r) => `  ${r}`),
      ].join("\n        "),
    });
  }
  await buildFromSource(opts.version, dir);
  await markComplete(opts.version, "build");
  return { dir, version: opts.version, source: "build" };
}

async function isComplete(version: string): Promise<boolean> {
  try {
    JSON.parse(await readFile(completeMarker(version), "utf8"));
    return true;
  } catch {
    return false;
  }
}

async function markComplete(version: string, source: BinarySource): Promise<void> {
  await writeFile(completeMarker(version), JSON.stringify({ version, source, at: new Date().toISOString() }));
}
