import { parentPort, workerData } from "node:worker_threads";
import type { SqlQueryable } from "../postgres/sql-client.js";
import { pgliteSqlClient } from "./pglite-client.js";
import type { ThreadReply, ThreadRequest, ThreadSource } from "./thread-protocol.js";

// The worker side of `pgliteThreadClient`: PGlite runs here, on its own thread,
// so its WASM work overlaps with the ledger's on the main thread (issue 11).

const port = parentPort;
if (port === null) throw new Error("pglite-thread runs as a worker thread");

const reply = (message: ThreadReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const errorOf = (error: unknown) => {
  const e = error as { message?: unknown; code?: unknown };
  return {
    message: typeof e?.message === "string" ? e.message : String(error),
    ...(typeof e?.code === "string" ? { code: e.code } : {}),
  };
};

/** Open transactions by id: each waits for the main thread's `end`. */
const open = new Map<number, { tx: SqlQueryable; end: (commit: boolean) => void }>();
/** Each transaction's outcome, which its `end` request answers with. */
const finishing = new Map<number, Promise<null>>();
const ROLLBACK = Symbol("rollback");

const client = pgliteSqlClient(workerData as ThreadSource);
client.then(
  () => reply({ id: 0, ok: true, value: null }),
  (error: unknown) => reply({ id: 0, ok: false, error: errorOf(error) }),
);

port.on("message", async (m: ThreadRequest) => {
  try {
    const db = await client;
    if (m.op === "query") {
      const runner = m.tx === undefined ? db : open.get(m.tx)?.tx;
      if (runner === undefined) throw new Error(`transaction ${m.tx} is not open`);
      reply({ id: m.id, ok: true, value: await runner.query(m.text, m.params) });
    } else if (m.op === "begin") {
      const done = db.transaction(async (tx) => {
        const ended = new Promise<boolean>((end) => open.set(m.id, { tx, end }));
        reply({ id: m.id, ok: true, value: null });
        if (!(await ended)) throw ROLLBACK;
      });
      // The `end` request answers once the transaction has committed or rolled back.
      finishing.set(
        m.id,
        done.then(
          () => null,
          (error: unknown) => {
            if (error !== ROLLBACK) throw error;
            return null;
          },
        ),
      );
      done.catch(() => undefined);
    } else if (m.op === "end") {
      const tx = open.get(m.tx);
      if (tx === undefined) throw new Error(`transaction ${m.tx} is not open`);
      open.delete(m.tx);
      tx.end(m.commit);
      const finished = finishing.get(m.tx);
      finishing.delete(m.tx);
      reply({ id: m.id, ok: true, value: await finished });
    } else if (m.op === "dump") {
      const tar = await db.dump();
      reply({ id: m.id, ok: true, value: tar }, [tar.buffer as ArrayBuffer]);
    } else {
      await db.close();
      reply({ id: m.id, ok: true, value: null });
    }
  } catch (error) {
    reply({ id: m.id, ok: false, error: errorOf(error) });
  }
});
