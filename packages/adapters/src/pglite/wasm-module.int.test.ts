import { describe, expect, it } from "vitest";
import { pgliteThreadClient } from "./thread-client.js";
import { pgliteWasmModule } from "./wasm-module.js";

// Issue 11: PGlite's WebAssembly is compiled once per process and handed to
// every store's thread. If a PGlite upgrade moved the file, stores would still
// work (PGlite compiles its own) but each would pay the compile again: this
// test says so instead.

describe("PGlite's WebAssembly, compiled once per process", () => {
  it("is found beside the installed PGlite, compiled once, and a store's thread runs on it", async () => {
    const first = await pgliteWasmModule();
    expect(first).toBeDefined();
    expect(await pgliteWasmModule()).toBe(first);
    const client = await pgliteThreadClient(first ? { wasmModule: first } : {});
    try {
      expect(await client.query<{ n: number }>("SELECT 1 + 1 AS n")).toEqual([{ n: 2 }]);
    } finally {
      await client.close();
    }
  }, 60_000);
});
