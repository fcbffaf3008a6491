import { homedir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** The Kubernetes binaries the providers run (kubeadm and kube-scheduler are for kind node images). */
export const KUBE_BINARIES = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet", "kubectl", "kubeadm"] as const;
export type KubeBinary = (typeof KUBE_BINARIES)[number];

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** tools/k8s: one Go module per pinned Kubernetes release (tools/k8s/<version>) and releases.yaml. */
export const PIN_ROOT = join(REPO_ROOT, "tools", "k8s");

/**
 * Built or downloaded binaries are cached outside the clone, keyed by version,
 * so a fresh clone on a warm machine does not rebuild (KTC_CACHE_DIR overrides).
 */
export function cacheRoot(): string {
  return process.env.KTC_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "kubelet-tls-conformance");
}

export function cachedBinDir(version: string): string {
  return join(cacheRoot(), "kubernetes", version, "bin");
}

/** Written last, so a half-filled cache directory is never taken as complete. */
export function completeMarker(version: string): string {
  return join(cacheRoot(), "kubernetes", version, "complete.json");
}
