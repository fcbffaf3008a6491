import { createHash } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { goBuildArgv, versionLdflags } from "./build-from-source";
import { releaseUrl, verifySha256 } from "./download";
import { pinnedKubernetesVersion, splitVersion } from "./pinned-version";

describe("Kubernetes binaries", () => {
  it("pins one release in tools/k8s/go.mod", () => {
    expect(pinnedKubernetesVersion()).toMatch(/^v1\.3[34]\.\d+$/);
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
