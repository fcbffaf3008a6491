import type { KubeBinary } from "../../binaries/layout";
import { resolveKubeBinaries } from "../../binaries/resolve";
import { PreflightError, UsageError } from "../../errors";
import { mayInstall, runSetupHost } from "../../exec/setup-host";
import { info } from "../../log";
import type { PreparedRun, PrepareRequest } from "../definition";
import { resolveKindTools } from "./kind-tools";
import { ensureNodeImage } from "./node-image";
import { kindPreflight, privilegedContainersWork } from "./preflight";
import type { KindSettings } from "./settings";

/** What a vendor's --k8s-bin-dir must hold for this provider: what the node image carries (node-image.ts). */
export const KIND_PROVIDER_BINARIES: readonly KubeBinary[] = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet", "kubectl", "kubeadm"];

/** As root, installs Docker, debootstrap, jq, gcc and starts dockerd (tools/setup-host.sh kind); KTC_NO_INSTALL=1 forbids it. */
async function ensureKindHost(): Promise<void> {
  if (!mayInstall()) return;
  info("preparing the host for kind (tools/setup-host.sh kind)");
  await runSetupHost("kind");
}

/**
 * Before the first suite: Docker, the kind CLI, the Kubernetes binaries and
 * the offline node image (with the node runtime), installed or built when
 * missing so no test timeout covers a build. kind clusters carry kubeadm's
 * bindings, so that is the run's binding style.
 */
export async function prepareKind(request: PrepareRequest): Promise<PreparedRun<KindSettings>> {
  if (request.baseSpec.bindingStyle === "binary-install") {
    throw new UsageError("the config sets bindingStyle: binary-install, but kind clusters carry kubeadm's bindings", {
      hint: "drop bindingStyle from the config, or set it to kubeadm, for --provider kind",
    });
  }
  await ensureKindHost();
  const bins = await resolveKubeBinaries({ version: request.version, userDir: request.userBinDir, required: KIND_PROVIDER_BINARIES });
  const tools = await resolveKindTools();
  await kindPreflight(tools.kind);
  const nodeImage = await ensureNodeImage(bins.version, bins.dir, tools);
  const privileged = await privilegedContainersWork(nodeImage);
  if (privileged) {
    throw new PreflightError(`Docker cannot run privileged containers here, which kind needs for every node: ${privileged.split("\n").slice(0, 3).join(" ")}`, {
      hint: "as root: bash tools/kind/setup-docker.sh (registers a runc wrapper when the host lacks CAP_SYS_RESOURCE)",
    });
  }
  return { bins, baseSpec: { ...request.baseSpec, bindingStyle: "kubeadm" }, settings: { kindBin: tools.kind, nodeImage } };
}
