// Jest runs in native ESM mode (client-node and execa are ESM-only).
// One jest project per conformance suite, so `--suite renewal` maps onto
// `--selectProjects renewal`, plus the "harness" project for the harness's own tests.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDefaultEsmPreset } from "ts-jest";

const root = dirname(fileURLToPath(import.meta.url));
const catalogue = JSON.parse(readFileSync(join(root, "suites", "catalogue.json"), "utf8"));
const categories = JSON.parse(readFileSync(join(root, "harness", "report", "categories.json"), "utf8"));
const esm = createDefaultEsmPreset({ tsconfig: join(root, "tsconfig.json") });
// allure-jest does not expand <rootDir> in resultsDir, so the path is absolute.
const resultsDir = process.env.KTC_ALLURE_RESULTS ?? join(root, "reports", "allure-results");

const common = {
  ...esm,
  rootDir: root,
  setupFiles: ["reflect-metadata"],
};

/** @type {import('jest').Config} */
export default {
  testSequencer: join(root, "jest.sequencer.js"),
  reporters: [
    "default",
    ["jest-junit", { outputDirectory: process.env.KTC_JUNIT_DIR ?? join(root, "reports", "junit"), outputName: "junit.xml", addFileAttribute: "true" }],
  ],
  projects: [
    {
      ...common,
      displayName: "harness",
      testEnvironment: "node",
      testMatch: ["<rootDir>/harness/**/*.test.ts"],
    },
    ...catalogue.map((suite) => ({
      ...common,
      displayName: suite.name,
      testMatch: [`<rootDir>/suites/${suite.name}.test.ts`],
      // The workers of suites other than the run's first ones give way on the CPU (harness/suite/worker-priority.ts).
      setupFiles: [...common.setupFiles, join(root, "harness", "suite", "worker-priority.ts")],
      // The suite's name on its progress lines (harness/log.ts): suites run side by side.
      globals: { ktcSuite: suite.name },
      testEnvironment: "allure-jest/node",
      testEnvironmentOptions: {
        resultsDir,
        // A failed check is a product defect; anything else (a cluster that would not come up,
        // a missing binary, a harness bug) is "broken" and lands in the second category.
        categories,
      },
    })),
  ],
};
