/**
 * Negative controls: a conformance suite that passes on a broken cluster is a
 * defect. Each case breaks one thing on purpose (a fault of the binary
 * provider, set through the vendor config file), runs the suite that must
 * catch it, and checks that the run fails as a conformance failure (exit 1,
 * not a harness error), in that suite, with a message naming the broken
 * behaviour.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import type { Fault } from "../providers/fault-injection";
import { startCli } from "./cli-run";

const scratch = mkdtempSync(join(tmpdir(), "ktc-negative-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface NegativeControl {
  suite: string;
  fault: Fault;
  /** Title (or part of it) of a check that must fail. */
  failingCheck: string;
  /** Part of the failure message that names what broke. */
  message: string | RegExp;
}

const CONTROLS: NegativeControl[] = [
  { suite: "bootstrap", fault: "no-csr-approver", failingCheck: "the kubelet's first CSR", message: /waiting for CSR csr-\w+ to be issued a certificate; last seen: state Pending/ },
  { suite: "approval", fault: "approve-all-client-csrs", failingCheck: "the CSR stays Pending", message: /CSR csr-\w+ of appr-\w+-\w+ became Approved/ },
  { suite: "certdir", fault: "kubelet-external-serving-cert", failingCheck: "kubelet.crt is a serving certificate", message: /kubelet\.crt/ },
  { suite: "lifetime", fault: "signing-duration-doubled", failingCheck: "lives exactly the cluster signing duration", message: /"lifetimeSeconds": 63072000/ },
  { suite: "renewal", fault: "no-selfnodeclient-binding", failingCheck: "it is auto-approved through selfnodeclient", message: /waiting for CSR csr-\w+ to be issued a certificate; last seen: state Pending/ },
  { suite: "serving", fault: "no-server-tls-bootstrap", failingCheck: "kubernetes.io/kubelet-serving", message: /waiting for a CSR with signer kubernetes.io\/kubelet-serving for node serve-/ },
  { suite: "security", fault: "approve-all-client-csrs", failingCheck: "a client CSR from a non-node identity", message: /\(bootstrap identity, selfnodeclient only\) became Approved/ },
];

describe("negative controls", () => {
  it.each(CONTROLS)("$suite fails on a cluster with fault $fault", async ({ suite, fault, failingCheck, message }) => {
    const config = join(scratch, `${suite}-${fault}.yaml`);
    writeFileSync(config, `distro: negative-control\nfaults: [${fault}]\n`);
    const cli = startCli("main", ["--suite", suite, "--config", config], {
      KTC_TIMEOUT_SCALE: "0.1",
      KTC_ALLURE_RESULTS: join(scratch, `allure-${suite}`),
      KTC_JUNIT_DIR: join(scratch, `junit-${suite}`),
    });
    const { code } = await cli.exit;
    const out = cli.output();
    const failed = [...out.matchAll(/● (.+)$/gm)].map((m) => m[1]!);
    expect({ suite, fault, exitCode: code, checkFailed: failed.some((t) => t.includes(failingCheck)), messageNamesIt: typeof message === "string" ? out.includes(message) : message.test(out) }).toEqual({
      suite,
      fault,
      exitCode: 1,
      checkFailed: true,
      messageNamesIt: true,
    });
    // The closing table blames the targeted suite.
    expect(out).toMatch(new RegExp(`^${suite}\\s+\\d+\\s+[1-9]\\d*\\s`, "m"));
  }, 10 * 60_000);
});
