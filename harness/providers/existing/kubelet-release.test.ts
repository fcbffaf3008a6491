import { describe, expect, it } from "@jest/globals";
import { PreflightError } from "../../errors";
import { kubeletReleaseFor } from "./kubelet-release";

const PINNED = ["v1.35.4", "v1.36.3", "v1.37.2"];

describe("the kubelet release for a cluster (version-skew policy)", () => {
  it("the same minor when one is pinned, whatever the server's patch or vendor suffix", () => {
    expect(kubeletReleaseFor("v1.36.1-vendor.3", 36, PINNED)).toBe("v1.36.3");
  });
  it("a newer server: the newest pinned release, up to three minors older", () => {
    expect(kubeletReleaseFor("v1.39.0", 39, PINNED)).toBe("v1.37.2");
    expect(kubeletReleaseFor("v1.38.0", 38, PINNED)).toBe("v1.37.2");
  });
  it("never a kubelet newer than the server, nor four minors older: a clear error", () => {
    expect(() => kubeletReleaseFor("v1.34.2", 34, PINNED)).toThrow(PreflightError);
    expect(() => kubeletReleaseFor("v1.41.0", 41, PINNED)).toThrow(/serves v1\.41\.0.*within the version-skew policy for it \(1\.38 to 1\.41\)/);
  });
});
