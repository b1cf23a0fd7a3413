import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { WasmModule } from "./pglite-client.js";
import { entryPoint } from "./template.js";

/** Node's global: only `compile` is used. */
declare const WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> };

let compiled: Promise<WasmModule | undefined> | undefined;

/**
 * PGlite's WebAssembly, compiled once per process (issue 11): each store's
 * thread is handed the same module (a module crosses threads without copying
 * or compiling its code again), so a second store does not pay about a second
 * of CPU to compile it. Undefined when the file is not where this PGlite
 * version keeps it: PGlite then compiles its own.
 */
export const pgliteWasmModule = (): Promise<WasmModule | undefined> => {
  compiled ??= (async () => {
    try {
      return await WebAssembly.compile(await readFile(join(dirname(entryPoint()), "pglite.wasm")));
    } catch {
      return undefined;
    }
  })();
  return compiled;
};
