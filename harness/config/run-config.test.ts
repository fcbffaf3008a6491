import { describe, expect, it } from "@jest/globals";
import { UsageError } from "../errors";
import { formatSeconds, parseDurationSeconds } from "./duration";
import { parseRunConfig } from "./run-config";

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
