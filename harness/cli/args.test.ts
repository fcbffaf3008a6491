import { describe, expect, it } from "@jest/globals";
import { UsageError } from "../errors";
import { parseRunArgs } from "./args";

const SUITES = ["bootstrap", "renewal", "security"];

describe("parseRunArgs", () => {
  it("selects one suite, several (comma or repeated), or none", () => {
    expect(parseRunArgs(["--suite", "renewal"], SUITES, {}).suites).toEqual(["renewal"]);
    expect(parseRunArgs(["--suite", "renewal,security"], SUITES, {}).suites).toEqual(["renewal", "security"]);
    expect(parseRunArgs(["--suite=bootstrap", "--suite", "renewal"], SUITES, {}).suites).toEqual(["bootstrap", "renewal"]);
    expect(parseRunArgs([], SUITES, {}).suites).toEqual([]);
  });

  it("rejects an unknown suite and lists the valid ones", () => {
    expect(() => parseRunArgs(["--suite", "renwal"], SUITES, {})).toThrow(UsageError);
    try {
      parseRunArgs(["--suite", "renwal"], SUITES, {});
    } catch (err) {
      expect((err as UsageError).describe()).toContain("unknown suite: renwal");
      expect((err as UsageError).describe()).toContain("valid suites: bootstrap, renewal, security");
    }
  });

  it("rejects an unknown flag and lists the valid flags", () => {
    try {
      parseRunArgs(["--suit", "renewal"], SUITES, {});
      throw new Error("no error");
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).describe()).toMatch(/--suit/);
      expect((err as UsageError).hint).toContain("--suite");
    }
  });

  it("rejects a stray positional argument, an unknown provider and a malformed version", () => {
    expect(() => parseRunArgs(["renewal"], SUITES, {})).toThrow(/unexpected argument "renewal"/);
    expect(() => parseRunArgs(["--provider", "docker"], SUITES, {})).toThrow(/unknown provider: docker/);
    expect(() => parseRunArgs(["--k8s-version", "1.34"], SUITES, {})).toThrow(/v1\.34\.4/);
  });

  it("reads provider, version, bin dir and keep from flags, then the environment", () => {
    const o = parseRunArgs(["--provider", "binary", "--k8s-version", "v1.34.4", "--k8s-bin-dir", "/opt/k8s", "--keep"], SUITES, {});
    expect(o).toMatchObject({ provider: "binary", k8sVersion: "v1.34.4", k8sBinDir: "/opt/k8s", keep: true });
    const e = parseRunArgs([], SUITES, { K8S_BIN_DIR: "/vendor/bin", KTC_PROVIDER: "binary" });
    expect(e).toMatchObject({ provider: "binary", k8sBinDir: "/vendor/bin", keep: false });
    expect(parseRunArgs([], SUITES, {}).provider).toBeUndefined();
  });

  it("takes --prepare-only (off unless given)", () => {
    expect(parseRunArgs(["--prepare-only", "--k8s-version", "v1.36.3"], SUITES, {})).toMatchObject({ prepareOnly: true, k8sVersion: "v1.36.3" });
    expect(parseRunArgs([], SUITES, {}).prepareOnly).toBe(false);
  });

  it("takes --parallel as a whole number from 1 (flag, then KTC_PARALLEL), unset by default", () => {
    expect(parseRunArgs(["--parallel", "3"], SUITES, {}).parallel).toBe(3);
    expect(parseRunArgs([], SUITES, { KTC_PARALLEL: "1" }).parallel).toBe(1);
    expect(parseRunArgs([], SUITES, {}).parallel).toBeUndefined();
    for (const bad of ["0", "-2", "two", "1.5"]) expect(() => parseRunArgs([`--parallel=${bad}`], SUITES, {})).toThrow(/--parallel takes how many suites run at once/);
  });
});
