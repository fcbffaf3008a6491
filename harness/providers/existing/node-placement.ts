import type { NodePlacementDeclaration } from "../../config/run-config";
import { docker, dockerAvailable } from "../../container-node/docker";
import { PreflightError } from "../../errors";
import { hostCgroupVersion, type CgroupVersion } from "../../host/cgroup";
import { KUBELET_MAX_MINORS_BEHIND } from "./kubelet-release";

/**
 * Where the run's test nodes run, as prepare found it (settings.ts): local
 * kubelet processes, each in a network namespace of its own (the default), or
 * node containers of a kind node image on a docker network (the config's
 * `nodes`), as the kind provider runs its extra nodes.
 */
export type NodePlacement =
  | { placement: "process" }
  | {
      placement: "container";
      image: string;
      network: string;
      /** `kubelet --version` in the image: the release the nodes run. */
      kubeletVersion: string;
      containerdVersion: string;
      runcVersion: string;
      hostCgroup: CgroupVersion;
    };

/** The first line each of the image's kubelet, containerd and runc prints for `--version` (empty for one it lacks), from one throwaway container. */
async function versionsIn(image: string): Promise<Record<"kubelet" | "containerd" | "runc", string>> {
  const script = 'for p in kubelet containerd runc; do printf "%s=%s\\n" "$p" "$("$p" --version 2>/dev/null | head -n 1)"; done';
  const lines = (await docker(["run", "--rm", "--network", "none", "--entrypoint", "sh", image, "-c", script])).split("\n");
  const of = (p: string) => lines.find((l) => l.startsWith(`${p}=`))?.slice(p.length + 1).trim() ?? "";
  return { kubelet: of("kubelet"), containerd: of("containerd"), runc: of("runc") };
}

/**
 * Node containers need docker here, the network and the image on this
 * machine, and a kubelet in the image within the version-skew policy for the
 * cluster (a kubelet up to three minors older than kube-apiserver, never
 * newer): each missing one is a clear error before anything is created.
 */
export async function prepareContainerNodes(d: Extract<NodePlacementDeclaration, { placement: "container" }>, server: { gitVersion: string; minor: number }): Promise<NodePlacement> {
  if (!(await dockerAvailable())) {
    throw new PreflightError("the config places the test nodes in containers (nodes.placement: container), and docker does not answer on this machine", {
      hint: "start dockerd (tools/setup-host.sh does), or leave nodes out of the config to run them as local processes",
    });
  }
  const present = async (args: string[]) => docker(args).then(() => true, () => false);
  if (!(await present(["network", "inspect", d.network]))) {
    throw new PreflightError(`the docker network ${d.network} (nodes.network) does not exist on this machine`, {
      hint: "`docker network ls` lists what does: name the one from which the API server is reachable (a kind cluster's is `kind`, or the one it was created on)",
    });
  }
  if (!(await present(["image", "inspect", d.image]))) {
    throw new PreflightError(`the node image ${d.image} (nodes.image) is not on this machine`, {
      hint: "`docker images` lists what is; the kind provider's own is built by `npm test -- --provider kind --prepare-only --k8s-version <the cluster's release>`",
    });
  }
  const versions = await versionsIn(d.image);
  const kubeletVersion = versions.kubelet;
  const minor = Number(kubeletVersion.match(/v1\.(\d+)\./)?.[1]);
  if (!(minor <= server.minor && minor >= server.minor - KUBELET_MAX_MINORS_BEHIND)) {
    throw new PreflightError(
      `the node image ${d.image} runs ${kubeletVersion || "no kubelet the harness could ask for its version"}, and the cluster serves ${server.gitVersion}: outside the version-skew policy (a kubelet of 1.${server.minor - KUBELET_MAX_MINORS_BEHIND} to 1.${server.minor})`,
      { hint: "give a node image of the cluster's release in nodes.image" },
    );
  }
  return {
    placement: "container",
    image: d.image,
    network: d.network,
    kubeletVersion,
    containerdVersion: versions.containerd,
    runcVersion: versions.runc,
    hostCgroup: hostCgroupVersion(),
  };
}

/**
 * A throwaway container of the node image on the nodes' network completes a
 * TLS handshake with the API server, verified against its CA: the reason it
 * did not, or undefined. Any HTTP answer (401 included) is a completed
 * handshake; curl exits non-zero only when no answer came.
 */
export async function tlsUnreachableFromContainer(image: string, network: string, url: string, caPem: string, timeoutS: number): Promise<string | undefined> {
  const script = 'printf "%s" "$CA" > /tmp/ca.crt && curl --silent --show-error --output /dev/null --max-time "$T" --cacert /tmp/ca.crt "$URL/version"';
  try {
    await docker(["run", "--rm", "--network", network, "--entrypoint", "sh", "-e", `CA=${caPem}`, "-e", `URL=${url}`, "-e", `T=${timeoutS}`, image, "-c", script]);
    return undefined;
  } catch (err) {
    return (err as Error).message.split("\n").filter(Boolean).slice(-2).join(" ");
  }
}
