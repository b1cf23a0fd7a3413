import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (p: string) => fileURLToPath(new URL(`./packages/${p}`, import.meta.url));

// The tests Stryker runs against each mutant (`pnpm test:mutation`, docs/testing.md):
// the core and audit unit tests, in-process only. tz.e2e.test.ts spawns child
// processes (they would not see the mutant switch), the full Online Retail
// audit takes tens of seconds, and the fast-check properties (*.property.*test.ts)
// cost seconds per mutant on a shared machine: they stay out of this run.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@vafa\/adapters\/(.*)$/, replacement: `${src("adapters/src")}/$1/index.ts` },
      { find: /^@vafa\/(core|projections|cli)$/, replacement: `${src("")}$1/src/index.ts` },
    ],
  },
  test: {
    include: [
      "packages/core/src/**/*.test.ts",
      "packages/projections/src/audit/**/*.test.ts",
    ],
    exclude: [
      "**/*.e2e.test.ts",
      "**/*.slow.*test.ts",
      "**/*.property.*test.ts",
      "**/node_modules/**",
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
