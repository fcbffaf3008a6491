// Lint: the recommended rules, plus the architecture rules of DESIGN.md:
// suites may import the harness, never the reverse; a provider owns its
// lifecycle, so outside its folder (harness/providers/<name>/) it is known only
// through the registry (harness/providers/registry.ts) and the interfaces
// beside it; and providers never import each other (kind's provider split).
// The provider folders are read from disk: a new provider is covered as soon
// as its folder exists.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const PROVIDERS = readdirSync(join(dirname(fileURLToPath(import.meta.url)), "harness", "providers"), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

const NOT_SUITES = { group: ["**/suites/*", "../suites/**"], message: "the harness must not depend on the suites" };
const OUTSIDE = "outside its folder a provider is known only through harness/providers/registry.ts and the interfaces in harness/providers/*.ts";
/** An import path that enters one of these provider folders, written as `prefix<name>/...`. */
const into = (names, prefix) => `${prefix}(${names.join("|")})(/|$)`;
/** no-restricted-imports with these patterns (one rule per file: a later setting replaces an earlier one). */
const restrict = (...patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

export default tseslint.config(
  { ignores: ["node_modules/", "reports/", "tools/k8s/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // The CLI, the run directory code, the suite helpers, the report.
    files: ["harness/**/*.ts"],
    ignores: ["harness/providers/**"],
    rules: restrict(NOT_SUITES, { regex: into(PROVIDERS, "(^|/)providers/"), message: OUTSIDE }),
  },
  {
    files: ["suites/**/*.ts"],
    rules: restrict({ regex: into(PROVIDERS, "(^|/)providers/"), message: OUTSIDE }),
  },
  {
    // The interfaces and the code the providers share; only the registry names the folders.
    files: ["harness/providers/*.ts"],
    ignores: ["harness/providers/registry.ts"],
    rules: restrict(NOT_SUITES, { regex: into(PROVIDERS, "^\\./"), message: OUTSIDE }),
  },
  ...PROVIDERS.map((name) => ({
    // A provider's own folder: neither another provider nor, through the registry, all of them.
    files: [`harness/providers/${name}/**/*.ts`],
    rules: restrict(
      NOT_SUITES,
      { regex: "(^|/)registry$", message: "a provider does not reach the others through the registry" },
      ...(PROVIDERS.length > 1 ? [{ regex: into(PROVIDERS.filter((p) => p !== name), "(^|/)(providers/)?"), message: "providers never import each other" }] : []),
    ),
  })),
  {
    files: ["jest.config.js", "eslint.config.js", "allurerc.mjs"],
    languageOptions: { globals: { process: "readonly" } },
  },
);
