import { defineConfig } from "vitest/config";

// PARLEY_TEST_REPORT names a JSON summary for .ci/run to count passes and failures.
const report = process.env.PARLEY_TEST_REPORT;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end suites each start a real Synapse; two cores favour two workers.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: report ? ["default", ["json", { outputFile: report }]] : ["default"],
  },
});
