import { describe, expect, it } from "@jest/globals";
import { CONTAINERD_MODULE, parseContainerdVersion, parseRuncVersion, pinnedModuleVersion, RUNC_MODULE, runtimeBuildSteps } from "./node-runtime";

describe("node runtime", () => {
  it("pins containerd 2 and runc as kind v0.33's base image ships them", async () => {
    expect(await pinnedModuleVersion(CONTAINERD_MODULE, "github.com/containerd/containerd/v2")).toBe("2.3.4");
    expect(await pinnedModuleVersion(RUNC_MODULE, "github.com/opencontainers/runc")).toBe("1.4.3");
  });

  it("builds runc with cgo and seccomp, statically, and containerd without cgo, stamped with its version", () => {
    const steps = runtimeBuildSteps("/out", { containerdVersion: "2.3.4", runcVersion: "1.4.3" });
    const runc = steps.find((s) => s.argv.includes("github.com/opencontainers/runc"))!;
    expect(runc.env.CGO_ENABLED).toBe("1");
    expect(runc.argv.join(" ")).toMatch(/-tags seccomp .*netgo osusergo/);
    expect(runc.argv.join(" ")).toContain("-extldflags -static-pie");
    const ctd = steps.filter((s) => s.cwd === CONTAINERD_MODULE);
    expect(ctd.map((s) => s.env.CGO_ENABLED)).toEqual(["0", "0"]);
    expect(ctd.flatMap((s) => s.argv.filter((a) => a.includes("/cmd/")))).toEqual([
      "github.com/containerd/containerd/v2/cmd/containerd",
      "github.com/containerd/containerd/v2/cmd/ctr",
      "github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2",
    ]);
    expect(ctd[0]!.argv.join(" ")).toContain("version.Version=v2.3.4");
  });

  it("reads the versions our build and Debian's packages print", () => {
    expect(parseContainerdVersion("containerd github.com/containerd/containerd/v2 v2.3.4 \n")).toBe("2.3.4");
    expect(parseContainerdVersion("containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3")).toBe("1.6.20~ds1");
    expect(parseRuncVersion("runc version 1.4.3\ncommit: v1.4.3\nspec: 1.3.0\n")).toBe("1.4.3");
    expect(parseRuncVersion("runc version 1.1.5+ds1\ncommit: 1.1.5+ds1-1+deb12u1\n")).toBe("1.1.5+ds1");
    expect(() => parseContainerdVersion("garbage")).toThrow(/cannot read a version/);
  });
});
