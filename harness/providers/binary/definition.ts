import type { ProviderDefinition } from "../definition";
import { binaryConcurrency } from "./concurrency";
import { LOCAL_NODE_LEFTOVERS } from "../../local-node/leftovers";
import { prepareBinary } from "./prepare";
import { BinaryProvider } from "./provider";
import { LOCAL_NODE_RESOURCE_DELETERS } from "../../local-node/resource-deleters";
import type { BinarySettings } from "./settings";

/** Local processes, each kubelet in its own network namespace (provider.ts). */
export const binaryDefinition: ProviderDefinition<BinarySettings> = {
  name: "binary",
  summary: "local processes",
  environmentHelp: `KTC_ETCD_BIN (your etcd), KTC_CONTAINERD_BIN and KTC_RUNC_BIN (your node
  runtime instead of containerd 2 and runc built from tools/containerd, tools/runc; e.g.
  /usr/bin/containerd, Debian's 1.6, whose kubelets fall back from the RuntimeConfig call).`,
  concurrency: binaryConcurrency,
  prepare: prepareBinary,
  open: (env, settings) => new BinaryProvider({ runDir: env.runDir, binDir: env.binDir, etcdBin: settings.etcdBin, faults: settings.faults }),
  faultInjection: { withFaults: (settings, faults) => ({ ...settings, faults: [...faults] }) },
  resourceDeleters: LOCAL_NODE_RESOURCE_DELETERS,
  leftovers: LOCAL_NODE_LEFTOVERS,
};
