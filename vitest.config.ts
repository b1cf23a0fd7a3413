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
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
