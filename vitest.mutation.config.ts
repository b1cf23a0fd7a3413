import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (p: string) => fileURLToPath(new URL(`./packages/${p}`, import.meta.url));

// The tests Stryker runs against each mutant (`pnpm test:mutation`, docs/testing.md):
// the core and audit unit tests, in-process only. tz.e2e.test.ts spawns child
// processes (they would not see the mutant switch), the full Online Retail
// audit takes tens of seconds, and the fast-check properties (*.property.*test.ts)
// cost seconds per mutant on a shared machine: they stay out of this run.
//
// VAFA_MUTATION_TESTS narrows the tests to the files being mutated, so the
// initial run and each mutant cost less (a mutant of rules.ts is covered by
// nearly every ledger test): `rules` (rules.ts, lots.ts: the decider's and the
// core modules' own tests), `decide` (those and the club's draws and rewards
// tests, for decide/*), `core` (all of packages/core/src) or
// `audit` (packages/projections/src/audit). Unset: core and audit.
const core = "packages/core/src/**/*.test.ts";
const audit = "packages/projections/src/audit/**/*.test.ts";
const scopes: Record<string, string[]> = {
  rules: ["packages/core/src/*.test.ts", "packages/core/src/decide/*.test.ts"],
  decide: [
    "packages/core/src/*.test.ts",
    "packages/core/src/{decide,draws,rewards}/*.test.ts",
  ],
  core: [core],
  audit: [audit],
};
const include = scopes[process.env.VAFA_MUTATION_TESTS ?? ""] ?? [core, audit];
// Left out of the mutation run: the two tests of auditNdjsonFileParallel start
// worker threads (each boots tsx) and a worker never sees Stryker's active
// mutant; the two "1 to 4 shards" sweeps audit dozens of tampered exports
// (15-30 s a run, and they cover every audit line). The damaged-input tables
// pin each check; the sharded audit (shard.ts, parallel.ts) is out of `--mutate`.
const leftOut = [
  "worker threads read a tampered file",
  "stocked reward is audited in one thread",
  "for 1 to 4 shards",
];

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@vafa\/adapters\/(.*)$/, replacement: `${src("adapters/src")}/$1/index.ts` },
      { find: /^@vafa\/(core|projections|cli)$/, replacement: `${src("")}$1/src/index.ts` },
    ],
  },
  test: {
    include,
    exclude: [
      "**/*.e2e.test.ts",
      "**/*.slow.*test.ts",
      "**/*.property.*test.ts",
      "**/node_modules/**",
    ],
    testNamePattern: new RegExp(`^(?!.*(${leftOut.join("|")}))`),
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
