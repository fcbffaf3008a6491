import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { ExecError, UsageError } from "../errors";
import { info } from "../log";
import { KUBE_BINARIES } from "./layout";
import { isPinned, pinModuleDir, pinnedVersions, splitVersion } from "./pinned-version";

/** -X flags that make `kubelet --version` report the release, as hack/lib/version.sh does. */
export function versionLdflags(version: string, buildDate: string): string[] {
  const { major, minor } = splitVersion(version);
  const values: Record<string, string> = {
    gitVersion: version,
    gitMajor: major,
    gitMinor: minor,
    gitTreeState: "clean",
    gitCommit: "",
    buildDate,
  };
  return Object.entries(values).flatMap(([k, v]) => [
    `-X 'k8s.io/client-go/pkg/version.${k}=${v}'`,
    `-X 'k8s.io/component-base/version.${k}=${v}'`,
  ]);
}

/** The `go build` argv for all binaries in one invocation, so shared packages compile once. */
export function goBuildArgv(version: string, outDir: string, buildDate: string): string[] {
  return [
    "go",
    "build",
    "-v",
    "-trimpath",
    "-ldflags",
    ["-s", "-w", ...versionLdflags(version, buildDate)].join(" "),
    "-o",
    outDir + "/",
    ...KUBE_BINARIES.map((b) => `k8s.io/kubernetes/cmd/${b}`),
  ];
}

/**
 * Builds the Kubernetes binaries from the module pinned in tools/k8s with the
 * local Go toolchain, into a staging dir that is renamed into place at the end.
 * Progress: a line every 100 compiled packages (a cold build compiles ~3000).
 */
export async function buildFromSource(version: string, targetBinDir: string): Promise<void> {
  if (!isPinned(version)) throw noPinError(version);
  const moduleDir = pinModuleDir(version);
  const staging = `${targetBinDir}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const argv = goBuildArgv(version, staging, new Date().toISOString().replace(/\.\d+Z$/, "Z"));
  info(`building Kubernetes ${version} from its pinned Go module tools/k8s/${version} (cold: 5–9 min on 2 cores; cached afterwards)`);
  const child = execa(argv[0]!, argv.slice(1), {
    cwd: moduleDir,
    env: { CGO_ENABLED: "0", GOFLAGS: "-mod=mod" },
    stdin: "ignore",
    reject: false,
    lines: true,
    buffer: { stdout: false, stderr: true },
  });
  let compiled = 0;
  const t0 = Date.now();
  child.stderr?.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      if (!line || line.startsWith("#")) continue;
      compiled++;
      if (compiled % 100 === 0) info(`  go build: ${compiled} packages compiled (${Math.round((Date.now() - t0) / 1000)}s)`);
    }
  });
  const result = await child;
  if (result.failed) {
    const stderr = Array.isArray(result.stderr) ? result.stderr.join("\n") : String(result.stderr ?? "");
    const errors = stderr.split("\n").filter((l) => /error|cannot|undefined:|go: /.test(l)).slice(-20).join("\n");
    throw new ExecError(`go build of Kubernetes ${version} failed (exit ${result.exitCode}) in ${moduleDir}\n${errors}`, {
      hint: "check that `go version` is at least the one tools/k8s/go.mod asks for and that the Go module proxy is reachable",
    });
  }
  await rm(targetBinDir, { recursive: true, force: true });
  await rename(staging, targetBinDir);
  info(`built ${KUBE_BINARIES.length} binaries in ${Math.round((Date.now() - t0) / 1000)}s into ${join(targetBinDir)}`);
}

/** No pin and no download: a usage error that says which releases can be built and how to pin another. */
export function noPinError(version: string, why = ""): UsageError {
  return new UsageError(`Kubernetes ${version} has no pin in tools/k8s${why ? ` and ${why}` : ""}`, {
    hint: `pinned releases: ${pinnedVersions().join(", ")}; to add one: tools/k8s/pin.sh ${version} (and a row in tools/k8s/releases.yaml)`,
  });
}
