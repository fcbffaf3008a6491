import { run } from "../../exec/command";
import { PreflightError } from "../../errors";

/**
 * What the kind provider needs, each with its fix: a docker engine that
 * answers and can run privileged containers (kind's nodes are), and the kind CLI.
 */
export async function kindPreflight(kindBin: string): Promise<void> {
  try {
    await run(["docker", "version", "--format", "{{.Server.Version}}"], { timeoutMs: 20_000 });
  } catch (err) {
    throw new PreflightError(`the kind provider needs a running Docker engine, and \`docker version\` failed: ${(err as Error).message.split("\n").slice(0, 3).join(" ")}`, {
      hint: "as root: bash tools/setup-host.sh kind (installs docker.io and starts dockerd), or start your Docker engine",
    });
  }
  try {
    await run([kindBin, "version"], { timeoutMs: 20_000 });
  } catch (err) {
    throw new PreflightError(`the kind CLI ${kindBin} does not run: ${(err as Error).message.split("\n")[0]}`, {
      hint: "unset KTC_KIND_BIN or put a working kind on PATH; without either the harness builds the pinned one (tools/kind/tools-module)",
    });
  }
}

/**
 * Whether `docker run --privileged` works here: on hosts whose capability
 * bounding set lacks one that --privileged asks for, runc fails with "unable
 * to apply caps" (tools/kind/setup-docker.sh registers a runtime that fixes it).
 */
export async function privilegedContainersWork(image: string): Promise<string | undefined> {
  try {
    await run(["docker", "run", "--rm", "--privileged", "--entrypoint", "true", image], { timeoutMs: 60_000 });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
