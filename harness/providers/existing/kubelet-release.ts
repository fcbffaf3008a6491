import { compareVersions, pinnedVersions, splitVersion } from "../../binaries/pinned-version";
import { PreflightError } from "../../errors";

/**
 * The version-skew policy (kubernetes.io "Version Skew Policy", since 1.28):
 * a kubelet may be up to three minors older than kube-apiserver, never newer.
 */
export const KUBELET_MAX_MINORS_BEHIND = 3;

/**
 * The kubelet release the run joins to a cluster that serves `serverMinor`:
 * the newest pinned release not newer than the server and within the skew
 * policy (the same minor when one is pinned). Outside the policy, an error
 * naming the releases there are.
 */
export function kubeletReleaseFor(serverGitVersion: string, serverMinor: number, pinned: readonly string[] = pinnedVersions()): string {
  const inSkew = pinned
    .filter((v) => {
      const { major, minor } = splitVersion(v);
      return major === "1" && Number(minor) <= serverMinor && Number(minor) >= serverMinor - KUBELET_MAX_MINORS_BEHIND;
    })
    .sort(compareVersions);
  const chosen = inSkew.at(-1);
  if (!chosen) {
    throw new PreflightError(
      `the cluster serves ${serverGitVersion}, and no kubelet release the harness pins (${[...pinned].sort(compareVersions).join(", ")}) is within the version-skew policy for it (1.${serverMinor - KUBELET_MAX_MINORS_BEHIND} to 1.${serverMinor})`,
      { hint: "pass --k8s-bin-dir with a kubelet of the cluster's release, or pin one (tools/k8s/pin.sh)" },
    );
  }
  return chosen;
}
