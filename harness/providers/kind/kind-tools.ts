import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT } from "../../binaries/layout";
import { isExecutable, pinnedBuildDir } from "../../binaries/pinned-build-cache";
import { run } from "../../exec/command";
import { info, timed } from "../../log";

/** The Go modules that pin kind + crictl, and etcd (tools/kind/tools-module, tools/etcd). */
export const KIND_TOOLS_MODULE = join(REPO_ROOT, "tools", "kind", "tools-module");
export const ETCD_MODULE = join(REPO_ROOT, "tools", "etcd");

export interface KindTools {
  /** The kind CLI: KTC_KIND_BIN, else `kind` on PATH, else the pinned build. */
  kind: string;
  /** Built from the pinned modules, for the node image. */
  crictl: string;
  etcd: string;
  /** Directory holding crictl and etcd. */
  binDir: string;
  kindSource: "env" | "path" | "build";
}

export async function kindToolsDir(): Promise<string> {
  return pinnedBuildDir("kind-tools", [KIND_TOOLS_MODULE, ETCD_MODULE]);
}

/** `go build` argvs of the pinned tools, static and stripped. */
export function toolBuildArgv(outDir: string): { cwd: string; argv: string[] }[] {
  const base = ["go", "build", "-trimpath", "-ldflags", "-s -w", "-o"];
  return [
    { cwd: KIND_TOOLS_MODULE, argv: [...base, outDir + "/", "sigs.k8s.io/kind", "sigs.k8s.io/cri-tools/cmd/crictl"] },
    { cwd: ETCD_MODULE, argv: [...base, join(outDir, "etcd"), "go.etcd.io/etcd/server/v3"] },
  ];
}

/** Builds kind, crictl and etcd once into the cache (cold: a few minutes; then 0 s). */
export async function resolveKindTools(): Promise<KindTools> {
  const dir = await kindToolsDir();
  const complete = async () => (await Promise.all(["kind", "crictl", "etcd"].map((b) => isExecutable(join(dir, b))))).every(Boolean);
  if (!(await complete())) {
    const staging = `${dir}.partial`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await timed("building kind, crictl and etcd from their pinned Go modules", async () => {
      for (const step of toolBuildArgv(staging)) {
        await run(step.argv, {
          cwd: step.cwd,
          env: { CGO_ENABLED: "0", GOFLAGS: "-mod=mod" },
          timeoutMs: 30 * 60_000,
          hint: `check that the Go module proxy is reachable; the pins are in ${step.cwd}/go.mod`,
        });
      }
    });
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
  }
  let kind = join(dir, "kind");
  let kindSource: KindTools["kindSource"] = "build";
  if (process.env.KTC_KIND_BIN) {
    kind = process.env.KTC_KIND_BIN;
    kindSource = "env";
  } else {
    const onPath = await run(["sh", "-c", "command -v kind"]).then((r) => r.stdout.trim(), () => "");
    if (onPath) {
      kind = onPath;
      kindSource = "path";
    }
  }
  info(`kind CLI: ${kind} (${kindSource}); node image tools in ${dir}`);
  return { kind, crictl: join(dir, "crictl"), etcd: join(dir, "etcd"), binDir: dir, kindSource };
}
