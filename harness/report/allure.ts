import * as allure from "allure-js-commons";
import { stringify } from "yaml";
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import type { Cluster, Node } from "../providers/provider";
import type { RunEnv } from "../run/run-env";
import { certificateFacts } from "../pki/inspect";
import { redact } from "./redact";

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

/** Evidence for a failed check: log tails of the node and the control plane. */
export async function attachFailureLogs(cluster: Cluster, nodes: readonly Node[]): Promise<void> {
  for (const [component, tail] of Object.entries(await cluster.logTails(80))) await attachText(`${component} log (tail)`, tail);
  for (const n of nodes) await attachText(`kubelet ${n.name} log (tail)`, await n.kubeletLogTail(80));
}
