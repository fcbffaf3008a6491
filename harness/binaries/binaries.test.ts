import { createHash } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { goBuildArgv, versionLdflags } from "./build-from-source";
import { releaseUrl, verifySha256 } from "./download";
import { compareVersions, pinnedVersions, splitVersion } from "./pinned-version";
import { defaultKubernetesVersion, releaseTable, supportedReleases, supportStatus } from "./support-window";

describe("Kubernetes binaries", () => {
  it("pins every release of tools/k8s/releases.yaml in its own module, and the default is the newest supported", () => {
    const pins = pinnedVersions();
    for (const row of releaseTable()) expect(pins).toContain(row.pinned);
    const today = new Date("2026-11-29T12:00:00Z");
    expect(supportedReleases(today).map((r) => r.minor)).toEqual(["1.37", "1.36", "1.35"]);
    expect(defaultKubernetesVersion(today)).toBe("v1.37.2");
    expect(compareVersions("v1.9.0", "v1.10.0")).toBeLessThan(0);
  });

  it("says whether a release is inside the supported window", () => {
    const rows = [
      { minor: "1.35", pinned: "v1.35.4", endOfLife: "2027-02-28" },
      { minor: "1.34", pinned: "v1.34.4", endOfLife: "2026-10-27" },
    ];
    const today = new Date("2026-11-29T12:00:00Z");
    expect(supportStatus("v1.35.1", today, rows)).toEqual({ supported: true, summary: "supported (1.35 until 2027-02-28)" });
    expect(supportStatus("v1.34.4", today, rows).summary).toBe("END OF LIFE: 1.34 ended 2026-10-27; the supported window is 1.35 to 1.35");
    expect(supportStatus("v1.99.0", today, rows).summary).toMatch(/^NOT YET SUPPORTED: 1\.99/);
    expect(supportStatus("v1.20.0", today, rows).summary).toMatch(/^OUTSIDE THE SUPPORTED WINDOW/);
    // The last day of support still counts.
    expect(supportStatus("v1.34.4", new Date("2026-10-27T23:00:00Z"), rows).supported).toBe(true);
  });

  it("stamps the version the way hack/lib/version.sh does, for both version packages", () => {
    const flags = versionLdflags("v1.34.4", "2026-01-01T00:00:00Z");
    expect(flags).toContain("-X 'k8s.io/component-base/version.gitVersion=v1.34.4'");
    expect(flags).toContain("-X 'k8s.io/client-go/pkg/version.gitMinor=34'");
    expect(splitVersion("v1.34.4")).toEqual({ major: "1", minor: "34", patch: "4" });
  });

  it("builds every binary in one go invocation", () => {
    const argv = goBuildArgv("v1.34.4", "/out", "d");
    expect(argv.slice(0, 2)).toEqual(["go", "build"]);
    expect(argv).toEqual(expect.arrayContaining(["k8s.io/kubernetes/cmd/kubelet", "k8s.io/kubernetes/cmd/kube-apiserver"]));
  });

  it("downloads from the release layout and refuses a binary whose checksum differs", () => {
    expect(releaseUrl("v1.34.4", "kubelet")).toMatch(/\/v1\.34\.4\/bin\/linux\/(amd64|arm64)\/kubelet$/);
    const bytes = Buffer.from("kubelet");
    const good = createHash("sha256").update(bytes).digest("hex");
    expect(() => verifySha256("kubelet", bytes, `${good}  kubelet\n`)).not.toThrow();
    expect(() => verifySha256("kubelet", bytes, "0".repeat(64))).toThrow(/checksum mismatch for kubelet/);
  });
});
