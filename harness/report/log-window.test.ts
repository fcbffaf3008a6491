import { describe, expect, it } from "@jest/globals";
import { capLog, lineTime, linesSince } from "./log-window";

describe("log windows", () => {
  it("reads the timestamps of klog, CRI pod logs, capnslog and zap JSON", () => {
    const now = new Date(2026, 10, 29, 12, 0, 0);
    expect(lineTime("I1129 10:47:41.123456   1 server.go:1] started", now)).toEqual(new Date(2026, 10, 29, 10, 47, 41, 123));
    expect(lineTime("2026-11-29T10:47:41.5Z stderr F I1129 ...", now)).toEqual(new Date("2026-11-29T10:47:41.5Z"));
    expect(lineTime("2026-11-29 10:47:41.250000 I | etcdmain: etcd Version: 3.4.30", now)).toEqual(new Date(2026, 10, 29, 10, 47, 41, 250));
    expect(lineTime('{"level":"info","ts":"2026-11-29T10:47:41.000Z","msg":"x"}', now)).toEqual(new Date("2026-11-29T10:47:41.000Z"));
    expect(lineTime("\tgoroutine 1 [running]:", now)).toBeUndefined();
  });

  it("keeps what was written since a moment, continuation lines with their line", () => {
    const year = new Date().getFullYear();
    const log = [`${year}-01-01T10:00:00Z old`, "  old continuation", `${year}-01-01T10:05:00Z new`, "  new continuation"].join("\n");
    expect(linesSince(log, new Date(`${year}-01-01T10:01:00Z`))).toBe(`${year}-01-01T10:05:00Z new\n  new continuation`);
    expect(linesSince("no timestamps here", new Date())).toBe("no timestamps here");
  });

  it("caps a log and says so, keeping its beginning and its end", () => {
    const log = "start\n" + "x".repeat(10_000) + "\nend";
    const capped = capLog(log, 1000);
    expect(capped.startsWith("start")).toBe(true);
    expect(capped.endsWith("end")).toBe(true);
    expect(capped).toMatch(/capped at 1000 bytes/);
    expect(capLog("short", 1000)).toBe("short");
  });
});
