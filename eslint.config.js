// Lint: the recommended rules, plus the architecture rules of DESIGN.md:
// suites may import the harness, never the reverse, and providers never import
// each other (kind's provider split).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
    files: ["harness/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/suites/*", "../suites/**"], message: "the harness must not depend on the suites" }] }],
    },
  },
  {
    files: ["harness/providers/binary/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/providers/kind/**", "../kind/**"], message: "providers never import each other" }] }],
    },
  },
  {
    files: ["harness/providers/kind/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/providers/binary/**", "../binary/**"], message: "providers never import each other" }] }],
    },
  },
  {
    files: ["jest.config.js", "eslint.config.js", "allurerc.mjs"],
    languageOptions: { globals: { process: "readonly" } },
  },
);
