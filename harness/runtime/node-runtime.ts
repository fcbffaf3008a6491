import { mkdir, readFile, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "../binaries/layout";
import { isExecutable, pinnedBuildDir } from "../binaries/pinned-build-cache";
import { run } from "../exec/command";
import { mayInstall, runSetupHost } from "../exec/setup-host";
import { PreflightError, ProvisionError } from "../errors";
import { info, timed } from "../log";

/**
 * The node runtime both providers run: containerd 2 and runc, built from the
 * Go modules that pin them (tools/containerd, tools/runc: the releases kind
 * v0.33's base image ships). containerd 1.6 (Debian's) lacks the CRI
 * RuntimeConfig RPC, so kubelets 1.35-1.37 fall back to their own cgroup
 * driver and kubelet 1.38 refuses it (k8s-facts.md section 14).
 */
export const CONTAINERD_MODULE = join(REPO_ROOT, "tools", "containerd");
export const RUNC_MODULE = join(REPO_ROOT, "tools", "runc");

/** What the built bin directory holds: containerd finds its shim beside itself. */
export const CONTAINERD_BINARIES = ["containerd", "containerd-shim-runc-v2", "ctr"] as const;
export const RUNTIME_BINARIES = [...CONTAINERD_BINARIES, "runc"] as const;

export interface NodeRuntime {
  containerd: string;
  /** The shim containerd runs per pod; set as the runtime's runtime_path, so no PATH lookup picks another. */
  shim: string;
  ctr: string;
  runc: string;
  /** containerd's version, e.g. "2.3.4" or Debian's "1.6.20~ds1" (it decides the config version). */
  containerdVersion: string;
  runcVersion: string;
  /** Where containerd and runc come from: our build, or a user's KTC_CONTAINERD_BIN / KTC_RUNC_BIN. */
  containerdSource: "build" | "env";
  runcSource: "build" | "env";
}

/** ~/.cache/kubelet-tls-conformance/node-runtime/<hash of the pins>/bin */
export async function nodeRuntimeDir(): Promise<string> {
  return pinnedBuildDir("node-runtime", [CONTAINERD_MODULE, RUNC_MODULE]);
}

const CONTAINERD_PKG = "github.com/containerd/containerd/v2";
/** Snapshotters nobody here selects, left out as kind's base image leaves them out. */
const CONTAINERD_TAGS = "urfave_cli_no_docs no_btrfs no_devmapper no_zfs no_aufs";

/**
 * `go build` steps, following each project's Makefile: containerd, ctr and the
 * shim without cgo (static; the shim with no_grpc, as `make` builds it); runc
 * with cgo and libseccomp (kubeadm's static pods ask for the RuntimeDefault
 * seccomp profile, which runc without seccomp refuses), linked static-pie like
 * runc's `make static`, so one binary serves the host and the kind node image.
 */
export function runtimeBuildSteps(outDir: string, o: { containerdVersion: string; runcVersion: string }): { cwd: string; argv: string[]; env: Record<string, string> }[] {
  const stamp = `-s -w -X ${CONTAINERD_PKG}/version.Version=v${o.containerdVersion}`;
  const go = ["go", "build", "-trimpath"];
  return [
    {
      cwd: CONTAINERD_MODULE,
      env: { CGO_ENABLED: "0" },
      argv: [...go, "-tags", CONTAINERD_TAGS, "-ldflags", stamp, "-o", outDir + "/", `${CONTAINERD_PKG}/cmd/containerd`, `${CONTAINERD_PKG}/cmd/ctr`],
    },
    {
      cwd: CONTAINERD_MODULE,
      env: { CGO_ENABLED: "0" },
      argv: [...go, "-tags", `${CONTAINERD_TAGS} no_grpc`, "-ldflags", stamp, "-o", outDir + "/", `${CONTAINERD_PKG}/cmd/containerd-shim-runc-v2`],
    },
    {
      cwd: RUNC_MODULE,
      env: { CGO_ENABLED: "1" },
      argv: [
        ...go,
        "-buildmode=pie",
        "-tags",
        "seccomp urfave_cli_no_docs netgo osusergo",
        "-ldflags",
        `-X main.gitCommit=v${o.runcVersion} -linkmode external -extldflags -static-pie`,
        "-o",
        join(outDir, "runc"),
        "github.com/opencontainers/runc",
      ],
    },
  ];
}

/** What runc's cgo build needs: a C compiler and libseccomp's headers and static library (libseccomp-dev). */
async function missingBuildPrerequisites(): Promise<string[]> {
  const ok = (argv: string[]) => run(argv).then(() => true, () => false);
  const missing: string[] = [];
  if (!(await ok(["gcc", "--version"]))) missing.push("gcc");
  if (!(await ok(["pkg-config", "--version"]))) missing.push("pkg-config");
  else if (!(await ok(["pkg-config", "--exists", "libseccomp"]))) missing.push("libseccomp-dev");
  return missing;
}

/** Installs them through tools/setup-host.sh when the harness may (root, no KTC_NO_INSTALL=1); else says how. */
async function ensureBuildPrerequisites(): Promise<void> {
  let missing = await missingBuildPrerequisites();
  if (missing.length && mayInstall()) {
    info(`installing what building runc needs: ${missing.join(", ")}`);
    await runSetupHost();
    missing = await missingBuildPrerequisites();
  }
  if (missing.length) {
    throw new PreflightError(`building runc (cgo, seccomp) needs ${missing.join(", ")}, which is not installed`, {
      hint: "as root: bash tools/setup-host.sh; or set KTC_CONTAINERD_BIN and KTC_RUNC_BIN to installed binaries",
    });
  }
}

/** The version a tools module pins for a module path (its go.mod `require` line). */
export async function pinnedModuleVersion(moduleDir: string, modulePath: string): Promise<string> {
  const gomod = await readFile(join(moduleDir, "go.mod"), "utf8");
  const m = new RegExp(`^\\s*${modulePath.replace(/[.]/g, "\\.")} v(\\S+)`, "m").exec(gomod);
  if (!m) throw new ProvisionError(`${moduleDir}/go.mod does not require ${modulePath}`, { hint: `pin it: cd ${moduleDir} && go get -tool ${modulePath}@vX.Y.Z` });
  return m[1]!;
}

/**
 * Builds containerd, its shim, ctr and runc once into the cache (staging
 * directory, then a rename, so a half-built directory is never taken as
 * complete) and returns the directory. Measured here on 2 busy cores: about
 * 6 minutes cold, then 0 s.
 */
export async function ensureBuiltNodeRuntime(): Promise<string> {
  const dir = await nodeRuntimeDir();
  const complete = async () => (await Promise.all(RUNTIME_BINARIES.map((b) => isExecutable(join(dir, b))))).every(Boolean);
  if (await complete()) return dir;
  await ensureBuildPrerequisites();
  const versions = {
    containerdVersion: await pinnedModuleVersion(CONTAINERD_MODULE, CONTAINERD_PKG),
    runcVersion: await pinnedModuleVersion(RUNC_MODULE, "github.com/opencontainers/runc"),
  };
  const staging = `${dir}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await timed(`building containerd ${versions.containerdVersion} and runc ${versions.runcVersion} from tools/containerd and tools/runc (cold: ~6 min)`, async () => {
    for (const step of runtimeBuildSteps(staging, versions)) {
      await run(step.argv, {
        cwd: step.cwd,
        env: { ...step.env, GOFLAGS: "-mod=mod" },
        timeoutMs: 45 * 60_000,
        hint:
          `check that the Go module proxy is reachable (the pins are in ${step.cwd}/go.mod)` +
          (step.env.CGO_ENABLED === "1" ? "; runc needs gcc, pkg-config and libseccomp-dev (as root: bash tools/setup-host.sh)" : ""),
      });
    }
  });
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  return dir;
}

/** "containerd github.com/containerd/containerd/v2 v2.3.4 <rev>" or Debian's "... 1.6.20~ds1 ..." → "2.3.4". */
export function parseContainerdVersion(out: string): string {
  const v = out.trim().split(/\s+/)[2];
  if (!v || !/^v?\d+\./.test(v)) throw new ProvisionError(`cannot read a version from \`containerd --version\`: ${out.trim()}`);
  return v.replace(/^v/, "");
}

/** First line of `runc --version`: "runc version 1.4.3". */
export function parseRuncVersion(out: string): string {
  const m = /^runc version (\S+)/m.exec(out);
  if (!m) throw new ProvisionError(`cannot read a version from \`runc --version\`: ${out.trim().split("\n")[0]}`);
  return m[1]!;
}

async function userBinary(env: "KTC_CONTAINERD_BIN" | "KTC_RUNC_BIN"): Promise<string | undefined> {
  const path = process.env[env];
  if (!path) return undefined;
  if (!(await isExecutable(path))) {
    throw new ProvisionError(`${env}=${path} is not an executable file`, { hint: `point ${env} at an installed binary, or unset it to use the one built from tools/` });
  }
  return path;
}

/**
 * The runtime for binary-provider nodes: containerd 2 and runc built from the
 * pins, unless the user asks for others explicitly (KTC_CONTAINERD_BIN, with
 * its ctr and containerd-shim-runc-v2 beside it, e.g. Debian's containerd 1.6
 * at /usr/bin/containerd; KTC_RUNC_BIN). `build: false` (inside the suites,
 * after the CLI prepared everything) never starts a build.
 */
export async function resolveNodeRuntime(o: { build: boolean }): Promise<NodeRuntime> {
  const userContainerd = await userBinary("KTC_CONTAINERD_BIN");
  const userRunc = await userBinary("KTC_RUNC_BIN");
  let builtDir = "";
  if (!userContainerd || !userRunc) {
    builtDir = o.build ? await ensureBuiltNodeRuntime() : await nodeRuntimeDir();
    if (!o.build && !(await isExecutable(join(builtDir, "runc")))) {
      throw new ProvisionError(`the node runtime is not built yet (no ${builtDir})`, {
        hint: "run the suites through `npm test`, which builds it first, or set KTC_CONTAINERD_BIN and KTC_RUNC_BIN",
      });
    }
  }
  const ctdDir = userContainerd ? dirname(userContainerd) : builtDir;
  const containerd = userContainerd ?? join(builtDir, "containerd");
  const runc = userRunc ?? join(builtDir, "runc");
  const runtime: NodeRuntime = {
    containerd,
    shim: join(ctdDir, "containerd-shim-runc-v2"),
    ctr: join(ctdDir, "ctr"),
    runc,
    containerdVersion: parseContainerdVersion((await run([containerd, "--version"])).stdout),
    runcVersion: parseRuncVersion((await run([runc, "--version"])).stdout),
    containerdSource: userContainerd ? "env" : "build",
    runcSource: userRunc ? "env" : "build",
  };
  for (const b of [runtime.shim, runtime.ctr]) {
    if (!(await isExecutable(b))) throw new ProvisionError(`no ${b} beside ${containerd}`, { hint: "KTC_CONTAINERD_BIN must name a containerd whose ctr and containerd-shim-runc-v2 sit in the same directory" });
  }
  if (o.build) {
    info(`node runtime: containerd ${runtime.containerdVersion} (${runtime.containerdSource === "env" ? "KTC_CONTAINERD_BIN" : builtDir}), runc ${runtime.runcVersion} (${runtime.runcSource === "env" ? "KTC_RUNC_BIN" : builtDir})`);
  }
  return runtime;
}
