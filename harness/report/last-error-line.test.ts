import { describe, expect, it } from "@jest/globals";
import { lastErrorLine } from "./log-window";

describe("lastErrorLine", () => {
  it("gives the refusal the kubelet logged (at any level) over later errors, else the last error line", () => {
    const log = [
      'E1129 10:00:01.000001  1 bootstrap.go:1] "first error"',
      'I1129 10:00:02.000001  1 certificate_manager.go:1] "Rotating certificates"',
      'I1129 10:00:03.000001  1 certificate_manager.go:2] "Failed" err="cannot create certificate signing request: Unauthorized"',
      'I1129 10:00:04.000001  1 server.go:1] "all good"',
      'E1129 10:00:05.000001  1 kubelet.go:3596] "Unable to register mirror pod because node is not registered yet"',
    ].join("\n");
    expect(lastErrorLine(log)).toContain("Unauthorized");
    expect(lastErrorLine("I1129 10:00:04.000001  1 server.go:1] fine")).toBeUndefined();
    expect(lastErrorLine("Error: unknown flag: --no-such-flag\nUsage:\n  kube-controller-manager [flags]")).toBe("Error: unknown flag: --no-such-flag");
  });
});
