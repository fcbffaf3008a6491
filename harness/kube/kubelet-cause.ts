import type { Node } from "../providers/provider";
import { lastErrorLine } from "../report/log-window";

/**
 * What the kubelet itself says about why it is stuck, for a timeout message:
 * how its process is doing and the last error it logged.
 */
export async function kubeletCause(node: Pick<Node, "kubeletStatus" | "kubeletLogTail">): Promise<string> {
  const status = await node.kubeletStatus().catch((e: Error) => `unknown (${e.message})`);
  const error = lastErrorLine(await node.kubeletLogTail(400).catch(() => ""));
  return `kubelet ${status}; its last error: ${error ?? "none logged"}`;
}
