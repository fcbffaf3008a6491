// `npm run report`: reports/allure-results → reports/allure-report (Allure 3, no Java).
// The history file is kept beside the report, outside allure-results (which each run
// replaces), so trends accumulate across runs; the nightly workflow carries it over.
import { defineConfig } from "allure";

export default defineConfig({
  name: "kubelet TLS conformance",
  output: "reports/allure-report",
  historyPath: "reports/history/history.jsonl",
  historyLimit: 30,
  plugins: {
    awesome: {
      options: {
        singleFile: true,
        reportLanguage: "en",
        groupBy: ["parentSuite", "suite", "subSuite"],
      },
    },
  },
});
