import { hostname, release } from "node:os";
import { supportStatus } from "../binaries/support-window";
import { formatSeconds } from "../config/duration";
import { hostCgroupVersion } from "../host/cgroup";
import type { Fault } from "../providers/fault-injection";
import type { ComponentVersions } from "../providers/provider";
import { resolveSpec } from "../providers/spec";
import type { RunEnv } from "../run/run-env";
import { cliReporter } from "./reporter";

/**
 * The Allure "Environment" panel: what was tested and where. Written by the
 * CLI after the suites ran (allure-results/environment.properties).
 */
export function environmentProperties(env: RunEnv, versions: ComponentVersions, faults: readonly Fault[]): Record<string, string> {
  const base = resolveSpec(env.baseSpec, {});
  return {
    distro: env.distro,
    provider: env.provider,
    "kubernetes.version": env.k8sVersion,
    "kubernetes.support": supportStatus(env.k8sVersion).summary,
    "kubernetes.binaries": `${env.binSource} (${env.binDir})`,
    ...Object.fromEntries(Object.entries(versions).map(([k, v]) => [`version.${k}`, v])),
    "cluster.bindingStyle": base.bindingStyle,
    "cluster.signingDuration": formatSeconds(base.signingDurationSeconds),
    "cluster.extraFlags": JSON.stringify(base.extraFlags),
    ...(faults.length ? { "cluster.faults": faults.join(",") } : {}),
    "host.name": hostname(),
    "host.kernel": release(),
    "host.cgroup": hostCgroupVersion(),
    "node.version": process.version,
  };
}

export function writeEnvironmentProperties(resultsDir: string, props: Record<string, string>): void {
  cliReporter(resultsDir, props).writeEnvironmentInfo();
}
