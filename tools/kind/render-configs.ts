// Rewrites kind-configs/ from the provider's renderer (npm run kind-configs).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../harness/binaries/layout";
import { KIND_CONFIG_CATALOGUE, renderCatalogueFile } from "../../harness/providers/kind/config-catalogue";

const dir = join(REPO_ROOT, "kind-configs");
mkdirSync(dir, { recursive: true });
for (const e of KIND_CONFIG_CATALOGUE) {
  writeFileSync(join(dir, e.file), renderCatalogueFile(e));
  process.stdout.write(`wrote kind-configs/${e.file}\n`);
}
