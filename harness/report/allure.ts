import * as allure from "allure-js-commons";
import { stringify } from "yaml";
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import type { Cluster, Node } from "../providers/provider";
import type { RunEnv } from "../run/run-env";
import { certificateFacts } from "../pki/inspect";
import { redact } from "./redact";
import { capLog, LOG_CAP_BYTES } from "./log-window";

/**
 * Allure labels of one conformance check: feature = conformance suite, story =
 * assertion, severity. (parentSuite = Kubernetes version, suite = provider and
 * subSuite = suite come from the describe path: see conformanceSuite.) The
 * parameters keep cells of the nightly matrix apart in the history.
 */
export async function labelCheck(env: RunEnv, suite: string, story: string, severity = allure.Severity.CRITICAL): Promise<void> {
  await allure.feature(suite);
  await allure.story(story);
  await allure.severity(severity);
  await allure.parameter("kubernetesVersion", env.k8sVersion);
  await allure.parameter("provider", env.provider);
  await allure.parameter("distro", env.distro);
}

export async function attachText(name: string, text: string): Promise<void> {
  await allure.attachment(name, redact(text), { contentType: "text/plain" });
}

export async function attachYaml(name: string, value: unknown): Promise<void> {
  await allure.attachment(name, redact(stringify(value)), { contentType: "application/yaml" });
}

export async function attachCsr(csr: V1CertificateSigningRequest): Promise<void> {
  await attachYaml(`CSR ${csr.metadata?.name}`, csr);
}

export async function attachCertificate(name: string, pem: string): Promise<void> {
  await attachYaml(name, await certificateFacts(pem));
}

export async function attachCertDir(node: Node): Promise<void> {
  await attachYaml(`cert-dir of ${node.name} (${node.certDir})`, await node.listCertDir());
}

/** A whole log as an attachment, headed by what it covers and the cap applied to it. */
export async function attachLog(name: string, covers: string, text: string): Promise<void> {
  const bytes = Buffer.byteLength(text);
  const header = `# ${name}: ${covers}; ${bytes} bytes${bytes > LOG_CAP_BYTES ? `, capped at ${LOG_CAP_BYTES} bytes` : ` (whole: under the ${LOG_CAP_BYTES}-byte cap)`}\n`;
  await attachText(name, header + capLog(text));
}

/**
 * Evidence for a failed check: each kubelet's whole log since its node
 * started, and the control plane's logs since the suite started. A cluster
 * that never came up has no logs to give; its bring-up error says why.
 */
export async function attachFailureLogs(cluster: Cluster | undefined, nodes: readonly Node[], since: Date): Promise<void> {
  if (cluster) {
    const logs = await cluster.controlPlaneLogs(since);
    for (const [component, text] of Object.entries(logs)) await attachLog(`${component} log`, `since the suite started (${since.toISOString()})`, text);
  }
  for (const n of nodes) await attachLog(`kubelet ${n.name} log`, "since the node started", await n.kubeletLog().catch((e: Error) => `(not readable: ${e.message})`));
}
