import { Readable } from "node:stream";
import { createMemoryStore } from "@vafa/adapters/memory";
import type { EventStore } from "@vafa/core";
import { describe, expect, it, vi } from "vitest";
import { memoryIo } from "../testing/memory-io.js";
import { runImport } from "./import.js";

// Issue 11: `vafa import` decides each batch while the one before it is stored
// (executeMany `after`). Batches still land in file order: when one fails,
// nothing after it is appended, and the message names its lines.

const memory = createMemoryStore();
let appendsBeforeFailure = Number.POSITIVE_INFINITY;
const failing: EventStore = {
  ...memory,
  appendToStreams: async (appends) => {
    if (appendsBeforeFailure-- === 0) throw new Error("disk full"); // once: a later batch would land
    return memory.appendToStreams(appends);
  },
  close: async () => {},
};
vi.mock("../stores.js", async (original) => ({
  ...(await original<typeof import("../stores.js")>()),
  openStore: async () => failing,
}));

const PROGRAM = "fixtures/vectors/gregorian/program.json";
const joinLine = (i: number) =>
  JSON.stringify({ type: "join", memberId: `m${i}`, at: "2011-01-01T00:00:00Z", kind: "person" });

describe("8 import with chained batches (issue 11)", () => {
  it("a batch that fails stops the import: the batches before it stay, nothing after it is appended", async () => {
    // Batches of 16, 32, 64, ... lines: the third append (lines 49 to 112) fails.
    appendsBeforeFailure = 2;
    const lines = Array.from({ length: 400 }, (_, i) => joinLine(i + 1));
    const m = memoryIo(`${lines.join("\n")}\n`);
    const stopped = runImport({ program: PROGRAM, store: "memory:", json: true, input: "-" }, m.io);
    await expect(stopped).rejects.toThrow(
      /import stopped in lines 49 to 112: disk full; what was accepted stays \(those lines and the ones after them were not applied\)/,
    );
    const members = (await memory.listStreams("member-")).map((s) => Number(s.slice("member-m".length)));
    expect(members.sort((a, b) => a - b)).toEqual(Array.from({ length: 48 }, (_, i) => i + 1));
  });

  it("a batch's rejections are reported while the input is idle, not held until the next line", async () => {
    appendsBeforeFailure = Number.POSITIVE_INFINITY;
    let resume = () => {};
    const idle = new Promise<void>((resolve) => {
      resume = resolve;
    });
    async function* input() {
      yield Buffer.from(`${joinLine(1001)}\n{"type":"join"}\n`);
      await idle; // a pipe that goes quiet
      yield Buffer.from(`${joinLine(1002)}\n`);
    }
    const m = memoryIo(Readable.from(input()));
    const done = runImport({ program: PROGRAM, store: "memory:", input: "-" }, m.io);
    await vi.waitFor(() => expect(m.stderr()).toContain("line 2: VALIDATION"), { timeout: 10_000 });
    resume();
    expect(await done).toBe(3); // rejections
    expect(m.stdout()).toContain("2 accepted, 1 rejected");
  });
});
