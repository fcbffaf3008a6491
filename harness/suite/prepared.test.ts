import { describe, expect, it } from "@jest/globals";
import { ConformanceError } from "../errors";
import { prepared } from "./prepared";

describe("prepared", () => {
  let runs = 0;
  const neverApproved = prepared(
    "a bootstrap",
    async () => {
      runs++;
      throw new ConformanceError("CSR approved", "the CSR was never approved");
    },
    5000,
  );
  const fine = prepared("a node", async () => "node-1", 5000);

  it("runs the step in its hook without failing the hook: the check itself gets the step's own error", async () => {
    // Had the hook failed, jest would not run this body at all.
    await expect(neverApproved()).rejects.toThrow(new ConformanceError("CSR approved", "the CSR was never approved"));
  });

  it("runs the step once, however many checks ask", async () => {
    await expect(neverApproved()).rejects.toThrow("the CSR was never approved");
    expect(() => neverApproved.now()).toThrow("the CSR was never approved");
    expect({ runs, value: await fine(), now: fine.now() }).toEqual({ runs: 1, value: "node-1", now: "node-1" });
  });
});
