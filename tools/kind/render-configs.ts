// Rewrites kind-configs/ from the provider's renderer (npm run kind-configs):
// kind-configs/<kubeadm API>/<file>, one directory per API kind v0.33 writes.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "../../harness/binaries/layout";
import { cataloguePath, CATALOGUE_K8S_VERSIONS, KIND_CONFIG_CATALOGUE, renderCatalogueFile } from "../../harness/providers/kind/config-catalogue";

const root = join(REPO_ROOT, "kind-configs");
rmSync(root, { recursive: true, force: true });
for (const version of CATALOGUE_K8S_VERSIONS) {
  for (const e of KIND_CONFIG_CATALOGUE) {
    const file = join(root, cataloguePath(e, version));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, renderCatalogueFile(e, version));
    process.stdout.write(`wrote kind-configs/${cataloguePath(e, version)}\n`);
  }
}
