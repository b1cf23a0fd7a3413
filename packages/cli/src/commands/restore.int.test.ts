import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryStore } from "@vafa/adapters/memory";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli.js";
import { memoryIo } from "../testing/memory-io.js";
import { exportEvents } from "./export.js";
import { loadExport } from "./restore.js";

// docs/stores.md "Backup and restore": export -> restore -> export is byte-identical (memory store, in process).
const tmp = () => mkdtempSync(join(tmpdir(), "vafa-restore-"));

const exportText = async (store: ReturnType<typeof createMemoryStore>): Promise<string> => {
  let text = "";
  await exportEvents(store, async (line) => {
    text += line;
  });
  return text;
};

describe("restore into the memory store", () => {
  for (const calendar of ["gregorian", "jalali"])
    it(`${calendar}: import, export, restore, export again: the same bytes, recordedAt kept`, async () => {
      const dir = tmp();
      const program = `fixtures/vectors/${calendar}/program.json`;
      const commands = `fixtures/vectors/${calendar}/commands.ndjson`;
      // an import on a real clock, so recordedAt differs from occurredAt
      const original = createMemoryStore();
      const { createLedger } = await import("@vafa/core");
      const { programSchema } = await import("@vafa/core");
      const ledger = createLedger({
        store: original,
        program: programSchema.parse(JSON.parse(readFileSync(program, "utf8"))),
      });
      await ledger.publishProgram("2011-01-01T00:00:00Z");
      // malformed lines of the vectors are left out, as import rejects them
      for (const line of readFileSync(commands, "utf8").split("\n"))
        await Promise.resolve()
          .then(() => ledger.execute(JSON.parse(line)))
          .catch(() => undefined);
      const first = await exportText(original);
      expect(first.split("\n").length).toBeGreaterThan(20);
      const file = join(dir, "events.ndjson");
      writeFileSync(file, first);

      let at = "";
      const restored = createMemoryStore({ now: () => at });
      const loaded = await loadExport(restored, file, (recordedAt) => {
        at = recordedAt;
      });
      expect(loaded).toBe(first.trimEnd().split("\n").length);
      expect(await exportText(restored)).toBe(first);
    });

  it("the golden export restores to itself byte for byte", async () => {
    const file = "fixtures/vectors/gregorian/expected-events.ndjson";
    let at = "";
    const store = createMemoryStore({ now: () => at });
    await loadExport(store, file, (recordedAt) => {
      at = recordedAt;
    });
    expect(await exportText(store)).toBe(readFileSync(file, "utf8"));
  });

  it("vafa restore: a tampered export is HASH_MISMATCH, exit 1, naming the line; --json prints the counts", async () => {
    const dir = tmp();
    const lines = readFileSync("fixtures/vectors/gregorian/expected-events.ndjson", "utf8").split("\n");
    lines[9] = (lines[9] as string).replace(/"occurredAt":"2011-/, '"occurredAt":"2012-');
    const bad = join(dir, "bad.ndjson");
    writeFileSync(bad, lines.join("\n"));
    const m = memoryIo();
    expect(await runCli(["restore", "--store", "memory:", bad], m.io)).toBe(1);
    expect(m.stderr()).toMatch(
      /^vafa: HASH_MISMATCH restore .*bad\.ndjson line 10: member-\S+ revision \d+: hash does not match the event's content; .*\(nothing was loaded\)\n$/,
    );
    const ok = memoryIo();
    expect(
      await runCli(
        ["restore", "--store", "memory:", "--json", "fixtures/vectors/gregorian/expected-events.ndjson"],
        ok.io,
      ),
    ).toBe(0);
    expect(JSON.parse(ok.stdout())).toEqual({ events: 68, streams: 5 });
  });

  it("vafa restore refuses EventStoreDB (it sets its own recorded times)", async () => {
    const m = memoryIo();
    expect(await runCli(["restore", "--store", "esdb://localhost:2113", "x.ndjson"], m.io)).toBe(2);
    expect(m.stderr()).toMatch(/EventStoreDB sets its own recorded times/);
  });
});
