import { defineConfig } from "vitest/config";

// `pnpm test:pack`: the packaging smoke test alone (slow: build, pack, npm install).
export default defineConfig({
  test: {
    include: ["scripts/pack-smoke.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
