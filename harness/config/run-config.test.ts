import { describe, expect, it } from "@jest/globals";
import { UsageError } from "../errors";
import { formatSeconds, parseDurationSeconds } from "./duration";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { redact } from "../report/redact";
import { parseRunConfig, tokenFileTokenOf } from "./run-config";

/** The message a config is refused with (a UsageError), or a failure if it is accepted. */
function refusal(text: string): string {
  try {
    parseRunConfig(text, "x.yaml");
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as UsageError).message;
  }
  throw new Error(`accepted: ${text}`);
}

describe("vendor config", () => {
  it("reads the distro's knobs into a base spec", () => {
    const c = parseRunConfig(
      "distro: acme-k8s\nk8sBinDir: /opt/acme/bin\nbindingStyle: kubeadm\nsigningDuration: 720h\nextraFlags:\n  kubelet: [--v=4]\n",
      "acme.yaml",
    );
    expect(c).toEqual({
      distro: "acme-k8s",
      provider: undefined,
      kubernetesVersion: undefined,
      k8sBinDir: "/opt/acme/bin",
      base: { bindingStyle: "kubeadm", signingDurationSeconds: 720 * 3600, extraFlags: { kubelet: ["--v=4"] } },
    });
  });

  it("names the file and the key when something is wrong", () => {
    expect(() => parseRunConfig("signingDurtion: 1h\n", "x.yaml")).toThrow(/config x\.yaml: unknown key "signingDurtion"/);
    expect(() => parseRunConfig("bindingStyle: rke\n", "x.yaml")).toThrow(/bindingStyle must be binary-install or kubeadm/);
    expect(() => parseRunConfig("signingDuration: 1 year\n", "x.yaml")).toThrow(UsageError);
    expect(() => parseRunConfig("extraFlags:\n  etcd: [--x]\n", "x.yaml")).toThrow(/unknown component etcd/);
    expect(() => parseRunConfig("faults: [melt]\n", "x.yaml")).toThrow(/unknown fault melt/);
  });
});

describe("the token-file credential of a running cluster", () => {
  const TOKEN = "0123456789abcdef0123456789abcdef";

  it("a token is declared by where it is (the config), never carried, and redacted from then on", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ktc-run-config-"));
    try {
      const file = join(dir, "vendor.yaml");
      writeFileSync(file, `provider: existing\ntokenFileToken: "${TOKEN}"\n`);
      const c = parseRunConfig(`provider: existing\ntokenFileToken: "${TOKEN}"\n`, file);
      expect(c.tokenFile).toEqual({ key: "tokenFileToken", config: file });
      expect(JSON.stringify(c)).not.toContain(TOKEN);
      expect(redact(`token ${TOKEN}`)).toBe("token <redacted>");
      expect(await tokenFileTokenOf(file)).toBe(TOKEN);
      writeFileSync(file, "provider: existing\n");
      await expect(tokenFileTokenOf(file)).rejects.toThrow(/tokenFileToken is no longer declared in it/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a bootstrap kubeconfig is declared by its absolute path", () => {
    expect(parseRunConfig("tokenFileBootstrapKubeconfig: boot.conf\n", "x.yaml").tokenFile).toEqual({ key: "tokenFileBootstrapKubeconfig", kubeconfig: resolve("boot.conf") });
  });

  it("a wrong declaration names the key, and never shows the token", () => {
    expect(refusal(`tokenFileToken: "${TOKEN}"\ntokenFileBootstrapKubeconfig: /b.conf\n`)).toMatch(/tokenFileToken and tokenFileBootstrapKubeconfig both declare the token-file credential: keep one/);
    const withComma = refusal(`tokenFileToken: "${TOKEN},kubelet-bootstrap"\n`);
    expect(withComma).toMatch(/tokenFileToken must be the first field of a --token-auth-file line/);
    expect(withComma).not.toContain(TOKEN);
    expect(refusal("tokenFileToken: 123456789\n")).toBe("config x.yaml: tokenFileToken must be a string (quote it)");
    expect(refusal("tokenFileBootstrapKubeconfig: [a]\n")).toMatch(/tokenFileBootstrapKubeconfig must be the path of a kubeconfig file/);
  });
});

describe("nodes: where a running cluster's test nodes run", () => {
  it("local processes unless the config says containers, with their image and network", () => {
    expect(parseRunConfig("provider: existing\n", "x.yaml").nodes).toBeUndefined();
    expect(parseRunConfig("nodes: {placement: process}\n", "x.yaml").nodes).toEqual({ placement: "process" });
    expect(parseRunConfig("nodes: {placement: container, image: 'ktc.local/kind-node:v1.37.2-x', network: kind}\n", "x.yaml").nodes).toEqual({
      placement: "container",
      image: "ktc.local/kind-node:v1.37.2-x",
      network: "kind",
    });
  });

  it("a wrong one names what is wrong", () => {
    expect(refusal("nodes: container\n")).toMatch(/nodes must be a mapping/);
    expect(refusal("nodes: {placement: vm}\n")).toMatch(/nodes.placement must be process or container, got "vm"/);
    expect(refusal("nodes: {placement: container, network: kind}\n")).toMatch(/nodes.image is required with placement: container/);
    expect(refusal("nodes: {placement: container, image: x}\n")).toMatch(/nodes.network is required with placement: container/);
    expect(refusal("nodes: {image: x}\n")).toMatch(/image and network are for placement: container/);
    expect(refusal("nodes: {placement: container, image: x, network: y, cpus: 2}\n")).toMatch(/nodes: unknown key "cpus"/);
  });
});

describe("durations", () => {
  it("parse and format Go-style durations", () => {
    expect(parseDurationSeconds("8760h")).toBe(31536000);
    expect(parseDurationSeconds("1h30m")).toBe(5400);
    expect(parseDurationSeconds("90s")).toBe(90);
    expect(() => parseDurationSeconds("1d")).toThrow(/not a duration/);
    expect(formatSeconds(7500)).toBe("125m");
    expect(formatSeconds(31536000)).toBe("8760h");
  });
});
