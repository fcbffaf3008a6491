import { resolveKubeBinaries, type ResolvedBinaries } from "../binaries/resolve";
import { REQUIRED_BINARIES } from "../binaries/layout";
import { mayInstall, runSetupHost } from "../exec/setup-host";
import { PreflightError, UsageError } from "../errors";
import { info } from "../log";
import { binaryPreflight, ensureHostPrograms } from "../providers/binary/preflight";
import { resolveKindTools } from "../providers/kind/kind-tools";
import { ensureNodeImage } from "../providers/kind/node-image";
import { kindPreflight, privilegedContainersWork } from "../providers/kind/preflight";
import { resolveNodeRuntime } from "../runtime/node-runtime";
import type { ClusterSpec } from "../providers/spec";

export interface PreparedProvider {
  bins: ResolvedBinaries;
  etcdBin: string;
  /** kind only: the CLI and the node image. */
  kindBin: string;
  nodeImage: string;
  baseSpec: Partial<ClusterSpec>;
}

/**
 * Everything a provider needs before the first suite starts, installed or
 * built when missing (so no test timeout covers a build): binary — host
 * programs, Kubernetes binaries and the node runtime (containerd 2, runc); kind
 * — Docker, the kind CLI, the binaries and the offline node image (with that
 * node runtime).
 */
export async function prepareProvider(
  provider: "binary" | "kind",
  o: { version: string; userBinDir?: string; baseSpec: Partial<ClusterSpec> },
): Promise<PreparedProvider> {
  const etcdBin = process.env.KTC_ETCD_BIN ?? "etcd";
  if (provider === "binary") {
    await ensureHostPrograms(etcdBin);
    await binaryPreflight(etcdBin);
    const bins = await resolveKubeBinaries({ version: o.version, userDir: o.userBinDir, required: REQUIRED_BINARIES.binary });
    await resolveNodeRuntime({ build: true });
    return { bins, etcdBin, kindBin: "", nodeImage: "", baseSpec: o.baseSpec };
  }
  if (o.baseSpec.bindingStyle === "binary-install") {
    throw new UsageError("the config sets bindingStyle: binary-install, but kind clusters carry kubeadm's bindings", {
      hint: "drop bindingStyle from the config, or set it to kubeadm, for --provider kind",
    });
  }
  await ensureKindHost();
  const bins = await resolveKubeBinaries({ version: o.version, userDir: o.userBinDir, required: REQUIRED_BINARIES.kind });
  const tools = await resolveKindTools();
  await kindPreflight(tools.kind);
  const nodeImage = await ensureNodeImage(bins.version, bins.dir, tools);
  const privileged = await privilegedContainersWork(nodeImage);
  if (privileged) {
    throw new PreflightError(`Docker cannot run privileged containers here, which kind needs for every node: ${privileged.split("\n").slice(0, 3).join(" ")}`, {
      hint: "as root: bash tools/kind/setup-docker.sh (registers a runc wrapper when the host lacks CAP_SYS_RESOURCE)",
    });
  }
  return { bins, etcdBin, kindBin: tools.kind, nodeImage, baseSpec: { ...o.baseSpec, bindingStyle: "kubeadm" } };
}

/** As root, installs Docker, debootstrap, jq, gcc and starts dockerd (tools/setup-host.sh kind); KTC_NO_INSTALL=1 forbids it. */
async function ensureKindHost(): Promise<void> {
  if (!mayInstall()) return;
  info("preparing the host for kind (tools/setup-host.sh kind)");
  await runSetupHost("kind");
}
