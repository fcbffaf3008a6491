import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { REPO_ROOT } from "../binaries/layout";
import { suiteCatalogue } from "./catalogue";

describe("suite catalogue", () => {
  it("names exactly the suite files under suites/, each with a summary", () => {
    const files = readdirSync(join(REPO_ROOT, "suites"))
      .filter((f) => f.endsWith(".test.ts"))
      .map((f) => f.replace(/\.test\.ts$/, ""))
      .sort();
    const catalogue = suiteCatalogue();
    expect(catalogue.map((s) => s.name).sort()).toEqual(files);
    for (const s of catalogue) expect(s.summary.length).toBeGreaterThan(10);
  });
});
