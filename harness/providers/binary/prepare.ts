import type { KubeBinary } from "../../binaries/layout";
import { resolveKubeBinaries } from "../../binaries/resolve";
import { resolveNodeRuntime } from "../../runtime/node-runtime";
import type { PreparedRun, PrepareRequest } from "../definition";
import { binaryPreflight, ensureHostPrograms } from "./preflight";
import type { BinarySettings } from "./settings";

/** What a vendor's --k8s-bin-dir must hold for this provider. */
export const BINARY_PROVIDER_BINARIES: readonly KubeBinary[] = ["kube-apiserver", "kube-controller-manager", "kubelet", "kubectl"];

/**
 * Before the first suite: the host programs (installed when missing and
 * allowed), the machine's fitness, the Kubernetes binaries and the node
 * runtime (containerd 2, runc), built when missing so no test timeout covers
 * a build.
 */
export async function prepareBinary(request: PrepareRequest): Promise<PreparedRun<BinarySettings>> {
  const etcdBin = process.env.KTC_ETCD_BIN ?? "etcd";
  await ensureHostPrograms(etcdBin);
  await binaryPreflight(etcdBin);
  const bins = await resolveKubeBinaries({ version: request.version, userDir: request.userBinDir, required: BINARY_PROVIDER_BINARIES });
  await resolveNodeRuntime({ build: true });
  return { bins, baseSpec: request.baseSpec, settings: { etcdBin, faults: [] } };
}
