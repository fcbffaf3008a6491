import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { scanForSecrets } from "./secret-scan";

const dir = mkdtempSync(join(tmpdir(), "ktc-scan-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("scanForSecrets", () => {
  const token = "abcdef.0123456789abcdef";
  it("passes a clean report", async () => {
    writeFileSync(join(dir, "a-result.json"), JSON.stringify({ name: "ok", token: "<redacted>" }));
    writeFileSync(join(dir, "b-attachment.yaml"), "-----BEGIN EC PRIVATE KEY-----\n<redacted>\n-----END EC PRIVATE KEY-----\n");
    expect(await scanForSecrets([dir], [token])).toEqual([]);
  });

  it("finds a token planted in a result file and an unredacted key, in nested folders", async () => {
    mkdirSync(join(dir, "nested"));
    writeFileSync(join(dir, "nested", "c-result.json"), `{"steps":[{"name":"joined with ${token}"}]}`);
    writeFileSync(join(dir, "d-attachment.txt"), "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----\n");
    const hits = await scanForSecrets([dir], [token]);
    expect(hits).toEqual(
      expect.arrayContaining([
        { file: join(dir, "nested", "c-result.json"), what: "token abc…" },
        { file: join(dir, "d-attachment.txt"), what: "an unredacted private key" },
      ]),
    );
  });
});
