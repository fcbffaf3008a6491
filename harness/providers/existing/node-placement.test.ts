import { describe, expect, it } from "@jest/globals";
import { PreflightError } from "../../errors";
import { prepareContainerNodes } from "./node-placement";

// Against this machine's real docker: what a vendor's config names but the machine lacks is refused before anything starts.
describe("node containers of a running cluster: the preflight", () => {
  const server = { gitVersion: "v1.37.2", minor: 37 };

  it("refuses a docker network that does not exist, naming it and how to list the others", async () => {
    const refused = prepareContainerNodes({ placement: "container", image: "ktc.local/any:v0", network: "ktc-no-such-network" }, server);
    await expect(refused).rejects.toThrow(PreflightError);
    await expect(refused).rejects.toThrow("the docker network ktc-no-such-network (nodes.network) does not exist on this machine");
  });

  it("refuses a node image that is not on this machine, naming it", async () => {
    const refused = prepareContainerNodes({ placement: "container", image: "ktc.local/no-such-node-image:v0", network: "bridge" }, server);
    await expect(refused).rejects.toThrow(PreflightError);
    await expect(refused).rejects.toThrow("the node image ktc.local/no-such-node-image:v0 (nodes.image) is not on this machine");
  });
});
