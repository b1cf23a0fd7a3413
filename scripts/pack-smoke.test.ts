/**
 * Packaging smoke test: what a user gets from npm works.
 *
 *   pnpm test:pack
 *
 * Builds the packages, packs each with `pnpm pack` (which turns `workspace:^`
 * into real versions), checks each tarball with publint and
 * @arethetypeswrong/cli (ESM-only profile), installs the four tarballs into an
 * empty project with npm (third-party dependencies come from the registry), and
 * runs a small program against them: join + purchase + balance on the memory
 * store, plus the `vafa` binary. A second fresh project installs only
 * `@vafa/core` and `@vafa/adapters` with no store driver (`pg`, PGlite,
 * EventStoreDB are optional peers) and runs the memory store. Both installs use
 * `--engine-strict`, so a dependency that does not support this Node (the
 * project claims Node >= 20) fails the test. Slow (a build and two npm
 * installs), so it is not part of `pnpm test`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const PACKAGES = ["core", "projections", "adapters", "cli"] as const;
const bin = (name: string) => join(root, "node_modules", ".bin", name);

const run = (command: string, args: string[], cwd: string): string =>
  execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });

describe("packages as published", () => {
  const work = mkdtempSync(join(tmpdir(), "vafa-pack-"));
  const packs = join(work, "packs");
  const app = join(work, "app");
  const tarballs: Record<string, string> = {};

  beforeAll(() => {
    run("pnpm", ["build"], root);
    for (const name of PACKAGES) {
      run("pnpm", ["pack", "--pack-destination", packs], join(root, "packages", name));
      const file = readdirSync(packs).find((f) => f.startsWith(`vafa-${name}-`) && f.endsWith(".tgz"));
      if (!file) throw new Error(`pnpm pack wrote no tarball for ${name}`);
      tarballs[name] = join(packs, file);
    }
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  for (const name of PACKAGES) {
    it(`@vafa/${name}: publint finds nothing`, () => {
      const out = run(bin("publint"), ["run", tarballs[name] as string, "--strict"], root);
      expect(out).toContain("All good!");
    });

    it(`@vafa/${name}: types resolve for ESM consumers (attw --profile esm-only)`, () => {
      // attw exits non-zero on any problem, which throws here with its report
      const out = run(bin("attw"), [tarballs[name] as string, "--profile", "esm-only", "--format", "ascii"], root);
      expect(out).toMatch(/node16 \(from ESM\): 🟢/);
      expect(out).toMatch(/bundler: 🟢/);
    });
  }

  it("installs with npm into an empty project and runs a club on the memory store", () => {
    writeFileSync(
      join(work, "package.json"),
      JSON.stringify({ name: "pack-smoke-root", private: true }), // keeps npm from walking up to the workspace
    );
    run("mkdir", ["-p", app], work);
    const dependencies = Object.fromEntries(PACKAGES.map((n) => [`@vafa/${n}`, `file:${tarballs[n]}`]));
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "pack-smoke", private: true, type: "module", dependencies }, null, 2));
    run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--engine-strict"], app);

    writeFileSync(
      join(app, "club.js"),
      `import { createLedger } from "@vafa/core";
import { createMemoryStore } from "@vafa/adapters/memory";
import { createLedgerProjection } from "@vafa/projections";

const program = {
  programId: "smoke", version: 1, currency: "GBP", calendar: "gregorian",
  earn: { pointsPerUnit: "1", rounding: "floor", pendingDays: 0, signupBonus: 50, birthdayBonus: 0, referralBonus: 0 },
  expiry: { policy: "never" },
  tiers: { metric: "spend", windowDays: 365, retentionDays: 0,
           levels: [{ id: "bronze", threshold: "0", multiplier: "1" }, { id: "silver", threshold: "100", multiplier: "2" }] },
  redemption: { minPoints: 1, pointValue: "0.01" },
  rfm: { windowDays: 365 },
};
const store = createMemoryStore();
const ledger = createLedger({ store, program });
await ledger.publishProgram("2011-01-01T00:00:00Z");
const results = [
  await ledger.execute({ type: "join", memberId: "m1", at: "2011-01-02T10:00:00Z", kind: "person" }),
  await ledger.execute({ type: "purchase", memberId: "m1", at: "2011-01-02T11:00:00Z", purchaseId: "p1", amount: "139.12" }),
  await ledger.execute({ type: "purchase", memberId: "m1", at: "2011-01-02T11:00:00Z", purchaseId: "p1", amount: "139.12" }),
];
const projection = createLedgerProjection();
for await (const event of store.readAll()) projection.apply(event);
const [balance] = projection.balancesAsOf("2011-01-03T00:00:00Z");
console.log(JSON.stringify({ statuses: results.map((r) => r.status), replay: results[2].replay, balance }));
await store.close();
`,
    );
    const output = JSON.parse(run("node", ["club.js"], app)) as {
      statuses: string[];
      replay: boolean;
      balance: { memberId: string; available: number; tier: string };
    };
    expect(output.statuses).toEqual(["accepted", "accepted", "accepted"]);
    expect(output.replay).toBe(true);
    // 50 signup + floor(139.12) = 139 earned at bronze; the purchase then moves m1 to silver
    expect(output.balance).toMatchObject({ memberId: "m1", available: 189, tier: "silver" });

    // the CLI binary is installed and runs
    expect(run(join(app, "node_modules", ".bin", "vafa"), ["--help"], app)).toMatch(/import/);
  });

  it(`only @vafa/core and @vafa/adapters, no store driver: the memory store runs (Node ${process.versions.node}, engine-strict)`, () => {
    const lean = join(work, "lean");
    run("mkdir", ["-p", lean], work);
    const dependencies = {
      "@vafa/core": `file:${tarballs.core}`,
      "@vafa/adapters": `file:${tarballs.adapters}`,
    };
    writeFileSync(join(lean, "package.json"), JSON.stringify({ name: "pack-lean", private: true, type: "module", dependencies }, null, 2));
    run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--engine-strict"], lean);
    // the drivers are optional peers: npm installs none of them
    for (const driver of ["pg", "@electric-sql/pglite", "@eventstore/db-client"])
      expect(existsSync(join(lean, "node_modules", driver)), driver).toBe(false);
    writeFileSync(
      join(lean, "lean.js"),
      `import { createLedger } from "@vafa/core";
import { createMemoryStore } from "@vafa/adapters/memory";
import { createFileKeyStore } from "@vafa/adapters/file-keys";

const program = {
  programId: "lean", version: 1, currency: "GBP", calendar: "gregorian",
  earn: { pointsPerUnit: "1", rounding: "floor", pendingDays: 0, signupBonus: 50, birthdayBonus: 0, referralBonus: 0 },
  expiry: { policy: "never" },
  tiers: { metric: "spend", windowDays: 365, retentionDays: 0, levels: [{ id: "bronze", threshold: "0", multiplier: "1" }] },
  redemption: { minPoints: 1, pointValue: "0.01" },
  rfm: { windowDays: 365 },
};
const store = createMemoryStore();
const ledger = createLedger({ store, program });
await ledger.publishProgram("2011-01-01T00:00:00Z");
const joined = await ledger.execute({ type: "join", memberId: "m1", at: "2011-01-02T10:00:00Z", kind: "person" });
const bought = await ledger.execute({ type: "purchase", memberId: "m1", at: "2011-01-02T11:00:00Z", purchaseId: "p1", amount: "10.50" });
const events = [];
for await (const e of store.readAll()) events.push(e.type);
let missing = "";
try {
  await import("@vafa/adapters/postgres");
} catch (error) {
  missing = error.code;
}
// the file key store (club-v1 §6) needs no driver either
const keys = await createFileKeyStore("./keys");
const keyBytes = (await keys.create("m1")).length;
await keys.destroy("m1");
const keyAfterDestroy = (await keys.get("m1")) ?? null;
console.log(JSON.stringify({ statuses: [joined.status, bought.status], events, missing, keyBytes, keyAfterDestroy }));
await store.close();
`,
    );
    const output = JSON.parse(run("node", ["lean.js"], lean)) as {
      statuses: string[];
      events: string[];
      missing: string;
      keyBytes: number;
      keyAfterDestroy: null;
    };
    expect(output.keyBytes).toBe(32);
    expect(output.keyAfterDestroy).toBeNull();
    expect(output.statuses).toEqual(["accepted", "accepted"]);
    expect(output.events).toEqual(["ProgramPublished", "MemberJoined", "PointsEarned", "PurchaseRecorded", "PointsEarned"]);
    // only the entry point of a store whose driver is missing fails to load
    expect(output.missing).toBe("ERR_MODULE_NOT_FOUND");
  });
});
