import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { REPO_ROOT } from "../../binaries/layout";
import { run } from "../../exec/command";
import { ProvisionError } from "../../errors";
import { info, timed } from "../../log";
import { ensureBuiltNodeRuntime, RUNTIME_BINARIES } from "../../runtime/node-runtime";
import type { KindTools } from "./kind-tools";

export const NODE_IMAGE_SCRIPT = join(REPO_ROOT, "tools", "kind", "build-node-image.sh");
/** The Kubernetes binaries a node image carries (the control plane as images, the rest as files). */
export const NODE_IMAGE_BINARIES = ["kubeadm", "kubelet", "kubectl", "kube-apiserver", "kube-controller-manager", "kube-scheduler"] as const;

async function fileHash(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest("hex");
}

/**
 * What the image is made of: the recipe, the tool pins and the very binaries
 * (Kubernetes, crictl and etcd, containerd and runc). Equal inputs give the
 * same tag, so the image is built once per machine and a vendor's own
 * binaries, or a new containerd or runc pin, never reuse an image built from
 * other ones.
 */
export async function nodeImageRecipe(k8sBinDir: string, tools: KindTools, runtimeBinDir: string): Promise<string> {
  const h = createHash("sha256");
  h.update(await readFile(NODE_IMAGE_SCRIPT));
  for (const b of NODE_IMAGE_BINARIES) h.update(`${b}=${await fileHash(join(k8sBinDir, b))}\n`);
  for (const b of [tools.crictl, tools.etcd]) h.update(await fileHash(b));
  for (const b of RUNTIME_BINARIES) h.update(`${b}=${await fileHash(join(runtimeBinDir, b))}\n`);
  return h.digest("hex").slice(0, 12);
}

const HARNESS_NODE_IMAGE_REPO = "ktc.local/kind-node";

export function nodeImageTag(k8sVersion: string, recipe: string): string {
  return `${HARNESS_NODE_IMAGE_REPO}:${k8sVersion}-${recipe}`;
}

/** Ours carry containerd 2 from tools/containerd, which answers the kubelet's RuntimeConfig call; a vendor's image may not. */
export function isHarnessNodeImage(tag: string): boolean {
  return tag.startsWith(`${HARNESS_NODE_IMAGE_REPO}:`);
}

async function imageExists(tag: string): Promise<boolean> {
  return run(["docker", "image", "inspect", "--format", "{{.Id}}", tag]).then(() => true, () => false);
}

/**
 * The node image for this run: KTC_KIND_NODE_IMAGE (a vendor's own, used as
 * it is), else ours for these binaries, built with tools/kind/build-node-image.sh
 * when missing (about a minute; see the script for what differs from kind's).
 */
export async function ensureNodeImage(k8sVersion: string, k8sBinDir: string, tools: KindTools): Promise<string> {
  if (process.env.KTC_KIND_NODE_IMAGE) {
    const tag = process.env.KTC_KIND_NODE_IMAGE;
    if (!(await imageExists(tag))) {
      throw new ProvisionError(`KTC_KIND_NODE_IMAGE=${tag} is not in the local docker image store`, {
        hint: "load it first (docker load / docker pull), or unset KTC_KIND_NODE_IMAGE to build one from the binaries",
      });
    }
    return tag;
  }
  // containerd 2 and runc, built once from tools/containerd and tools/runc (only when an image is to be built).
  const runtimeBinDir = await ensureBuiltNodeRuntime();
  const recipe = await nodeImageRecipe(k8sBinDir, tools, runtimeBinDir);
  const tag = nodeImageTag(k8sVersion, recipe);
  if (await imageExists(tag)) {
    info(`kind node image ${tag} (cached)`);
    return tag;
  }
  await timed(`building kind node image ${tag} (offline, ~1 min)`, async () => {
    const child = execa("bash", [NODE_IMAGE_SCRIPT, k8sBinDir, tools.binDir, runtimeBinDir, tag], {
      env: { KTC_NODE_IMAGE_RECIPE: recipe },
      stdin: "ignore",
      reject: false,
      all: true,
      buffer: { all: true },
    });
    child.all?.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line.startsWith("[node-image]")) info(line);
    });
    const r = await child;
    if (r.failed) {
      const out = typeof r.all === "string" ? r.all.trimEnd().split("\n").slice(-25).join("\n") : "";
      throw new ProvisionError(`building the kind node image failed (exit ${r.exitCode}):\n${out}`, {
        hint: `run it by hand to see everything: bash ${NODE_IMAGE_SCRIPT} ${k8sBinDir} ${tools.binDir} ${runtimeBinDir} ${tag}`,
      });
    }
  });
  return tag;
}

/** One label of a local image ("" when it has none). */
export async function imageLabel(image: string, key: string): Promise<string> {
  const out = await run(["docker", "image", "inspect", "--format", `{{index .Config.Labels "${key}"}}`, image]);
  return out.stdout.trim().replace(/^<no value>$/, "");
}

/** The label through which our node images name their etcd tag (tools/kind/build-node-image.sh). */
export const ETCD_TAG_LABEL = "io.ktc.etcd-tag";
