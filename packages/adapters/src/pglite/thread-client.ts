import { Worker } from "node:worker_threads";
import type { SqlQueryable } from "../postgres/sql-client.js";
import { SerialQueue } from "../postgres/sql-client.js";
import type { PgliteClient } from "./pglite-client.js";
import type { ThreadReply, ThreadRequest, ThreadSource } from "./thread-protocol.js";

/**
 * A `SqlClient` whose PGlite runs on a worker thread (issue 11): the database's
 * WASM work overlaps with the caller's, so a batch is decided while the one
 * before it is stored. Same queue discipline as in process: one transaction
 * or query at a time.
 */
export const pgliteThreadClient = async (source: ThreadSource): Promise<PgliteClient> => {
  const worker = startThread(source);
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let failed: Error | undefined;

  const settle = (m: ThreadReply) => {
    const w = waiting.get(m.id);
    if (w === undefined) return;
    waiting.delete(m.id);
    // An idle thread does not keep the process alive; a pending request does.
    if (waiting.size === 0) worker.unref();
    if (m.ok) w.resolve(m.value);
    else w.reject(Object.assign(new Error(m.error.message), m.error.code ? { code: m.error.code } : {}));
  };
  worker.on("message", settle);
  const fail = (error: Error) => {
    failed ??= error;
    for (const id of [...waiting.keys()]) settle({ id, ok: false, error: { message: failed.message } });
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`the PGlite thread stopped (exit code ${code})`)));

  const ask = (request: ThreadRequest): Promise<unknown> => {
    if (failed) return Promise.reject(failed);
    return new Promise((resolve, reject) => {
      waiting.set(request.id, { resolve, reject });
      worker.ref();
      worker.postMessage(request);
    });
  };
  const opened = new Promise((resolve, reject) => {
    waiting.set(0, { resolve, reject });
  });
  try {
    await opened;
  } catch (error) {
    await worker.terminate();
    throw error;
  }

  const queue = new SerialQueue();
  const queryIn = (tx?: number): SqlQueryable => ({
    query: <Row extends object>(text: string, params: readonly unknown[] = []) =>
      ask({
        id: nextId++,
        op: "query",
        text,
        params: [...params],
        ...(tx === undefined ? {} : { tx }),
      }) as Promise<Row[]>,
  });
  return {
    query: (text, params) => queue.run(() => queryIn().query(text, params)),
    transaction: (work) =>
      queue.run(async () => {
        const tx = nextId++;
        await ask({ id: tx, op: "begin" });
        let result: Awaited<ReturnType<typeof work>>;
        try {
          result = await work(queryIn(tx));
        } catch (error) {
          await ask({ id: nextId++, op: "end", tx, commit: false });
          throw error;
        }
        await ask({ id: nextId++, op: "end", tx, commit: true });
        return result;
      }),
    dump: () => queue.run(() => ask({ id: nextId++, op: "dump" }) as Promise<Uint8Array>),
    close: () =>
      queue.run(async () => {
        try {
          await ask({ id: nextId++, op: "close" });
        } finally {
          await worker.terminate();
        }
      }),
  };
};

/**
 * The worker on pglite-thread beside this module: the built `.js`, or, from
 * TypeScript sources (tests, bench), the `.ts` through tsx (Node 20 workers do
 * not inherit `--import tsx`).
 */
const startThread = (source: ThreadSource): Worker => {
  const url = import.meta.url;
  if (!url.endsWith(".ts")) return new Worker(new URL("./pglite-thread.js", url), { workerData: source });
  const entry = new URL("./pglite-thread.ts", url).href;
  const tsconfig = process.env.TSX_TSCONFIG_PATH;
  const boot = `import("tsx/esm/api").then(({ register }) => { register(${JSON.stringify(
    tsconfig ? { tsconfig } : {},
  )}); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: source });
};
