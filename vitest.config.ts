import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (p: string) => fileURLToPath(new URL(`./packages/${p}`, import.meta.url));

// Tests run on the TypeScript sources; packages resolve to each other's src.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@vafa\/adapters\/(.*)$/, replacement: `${src("adapters/src")}/$1/index.ts` },
      { find: /^@vafa\/(core|projections|cli)$/, replacement: `${src("")}$1/src/index.ts` },
    ],
  },
  test: {
    include: ["packages/*/src/**/*.test.ts", "examples/*/**/*.test.ts"],
    // Compile-time tests (`*.test-d.ts`, e.g. that `execute` rejects `amount: 42.5`) run tsc.
    typecheck: {
      enabled: true,
      include: ["packages/*/src/**/*.test-d.ts"],
      tsconfig: "packages/core/tsconfig.types.json",
    },
    // New PGlite stores load a cached template (issue 11): the suite's own cache, never the user's.
    env: { VAFA_PGLITE_TEMPLATE_DIR: join(tmpdir(), "vafa-test-pglite-templates") },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
