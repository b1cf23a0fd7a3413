import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryStore } from "@vafa/adapters/memory";
import { createPgliteStore } from "@vafa/adapters/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { runQuickstart } from "./main.js";

const COMMANDS = 1427; // lines of fixtures/online-retail/slice-commands.ndjson
const MEMBERS = 300;
const SWEEPS = 4;

describe("examples/quickstart", () => {
  it("imports the slice, then a second run on the same store finds the members and appends nothing (5.9)", async () => {
    const store = createMemoryStore();
    const first: string[] = [];
    const one = await runQuickstart({ store, print: (l) => first.push(l) });
    expect(one.membersBefore).toBe(0);
    expect(one.membersAfter).toBe(MEMBERS);
    expect(one.accepted).toBeGreaterThan(COMMANDS * 0.8);
    expect(one.accepted + one.replays + one.rejected).toBe(COMMANDS);
    expect(one.events).toBeGreaterThan(one.accepted);
    expect(first.join("\n")).toMatch(/tiers: .*bronze \d+/);
    expect(first.join("\n")).toMatch(/outstanding points: \d+ worth [0-9.]+ GBP/);

    const second: string[] = [];
    const two = await runQuickstart({ store, print: (l) => second.push(l) });
    expect(two.membersBefore).toBe(MEMBERS);
    expect(two.membersAfter).toBe(MEMBERS);
    expect(two.events).toBe(0);
    // sweeps are decided again at every run (5.6) and append only what became due: nothing
    expect(two.accepted).toBe(SWEEPS);
    expect(two.replays).toBe(one.accepted + one.replays - SWEEPS);
    expect(second).toContain("members already in the store: 300");
    expect(second).toContain("nothing was applied twice: this run appended no events");
    // the balances printed are the same: nothing changed
    const tail = (lines: string[]) => lines.slice(lines.findIndex((l) => l.startsWith("as of ")));
    expect(tail(second)).toEqual(tail(first));
  });

  describe("on the embedded PGlite store", () => {
    const dir = mkdtempSync(join(tmpdir(), "vafa-quickstart-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("keeps the club across a close and reopen of the directory", async () => {
      const first = await createPgliteStore({ dataDir: dir });
      // 150 commands keep this test quick (PGlite runs every query in WebAssembly)
      const one = await runQuickstart({ store: first, print: () => {}, limit: 150 });
      await first.close();
      expect(one.membersAfter).toBeGreaterThan(50);

      const again = await createPgliteStore({ dataDir: dir });
      try {
        const two = await runQuickstart({ store: again, print: () => {}, limit: 150 });
        expect(two.membersBefore).toBe(one.membersAfter);
        expect(two.membersAfter).toBe(one.membersAfter);
        expect(two.events).toBe(0);
        expect(two.replays).toBe(one.accepted + one.replays);
      } finally {
        await again.close();
      }
    });
  });
});
