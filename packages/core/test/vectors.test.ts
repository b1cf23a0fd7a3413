import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createMemoryStore } from "@vafa/adapters/memory";
import { describe, expect, it } from "vitest";
import { createLedger, parseTime, toEnvelope, type Program, type StoredEvent } from "../src/index.js";

// Golden vectors (spec README): the same events byte for byte in eventId, data
// and hash, and the same rejections by line and code.

const root = join(import.meta.dirname, "../../../fixtures/vectors");

export const runVector = async (name: string) => {
  const dir = join(root, name);
  const program = JSON.parse(readFileSync(join(dir, "program.json"), "utf8")) as Program;
  const lines = readFileSync(join(dir, "commands.ndjson"), "utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const store = createMemoryStore();
  const ledger = createLedger({ store, program });
  const parsed = lines.map((l) => {
    try {
      return JSON.parse(l) as unknown;
    } catch {
      return undefined;
    }
  });
  const firstAt = parsed.find(
    (v): v is { at: string } =>
      typeof v === "object" && v !== null && typeof (v as { at?: unknown }).at === "string" && parseTime((v as { at: string }).at) !== undefined,
  );
  const published = await ledger.publishProgram(firstAt ? firstAt.at : "1970-01-01T00:00:00.000Z");
  let events = published.events.length;
  let accepted = 0;
  const rejects: { line: number; code: string; message: string }[] = [];
  for (const [i, line] of lines.entries()) {
    if (/^[ \t]*$/.test(line)) continue;
    const value = parsed[i];
    const outcome =
      value === undefined
        ? { status: "rejected" as const, rejection: { code: "VALIDATION", message: "line: not valid JSON" } }
        : await ledger.execute(value);
    if (outcome.status === "accepted") {
      accepted++;
      events += outcome.events.length;
    } else rejects.push({ line: i + 1, code: outcome.rejection.code, message: outcome.rejection.message });
  }
  const exported: StoredEvent[] = [];
  for (const streamId of [...(await store.listStreams(""))].sort()) exported.push(...(await store.readStream(streamId)));
  return { dir, accepted, rejected: rejects.length, events, rejects, exported };
};

const readNdjson = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe.each(["gregorian", "jalali"])("golden vector %s", (name) => {
  it("summary, rejections by line and code, and every event byte for byte (spec 2, 4, 5, 8)", async () => {
    const r = await runVector(name);
    const summary = JSON.parse(readFileSync(join(r.dir, "expected-summary.json"), "utf8"));
    expect({ accepted: r.accepted, rejected: r.rejected, events: r.events }).toEqual(summary);
    const expectedRejects = readNdjson(join(r.dir, "expected-rejects.ndjson")).map((x) => ({ line: x.line, code: x.code }));
    expect(r.rejects.map((x) => ({ line: x.line, code: x.code }))).toEqual(expectedRejects);
    const expected = readNdjson(join(r.dir, "expected-events.ndjson"));
    const actual = r.exported.map((e) => {
      const env = toEnvelope(e) as unknown as Record<string, unknown>;
      return JSON.parse(JSON.stringify({ ...env, recordedAt: "-" })) as Record<string, unknown>;
    });
    const strip = (e: Record<string, unknown>) => JSON.stringify({ ...e, recordedAt: "-" });
    expect(actual.map(strip)).toEqual(expected.map(strip));
  });
});
