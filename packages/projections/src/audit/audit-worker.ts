import { parentPort, workerData } from "node:worker_threads";
import type { AuditPass } from "./audit.js";
import { ShardAuditor, type ShardHeadOptions } from "./shard.js";
import type { AuditOptions } from "./types.js";

// A worker thread of the parallel audit (parallel.ts): one shard, fed every
// chunk of the export, answering each with an ack (flow control) and the end
// with its result.

export interface AuditWorkerData {
  index: number;
  count: number;
  options: AuditOptions;
  head?: ShardHeadOptions;
  pass?: AuditPass;
}

export type AuditWorkerMessage = { kind: "chunk"; bytes: Uint8Array; final: boolean } | { kind: "end" };

const port = parentPort;
if (port) {
  const data = workerData as AuditWorkerData;
  const shard = new ShardAuditor(data.index, data.count, data.options, data.head, data.pass);
  port.on("message", (message: AuditWorkerMessage) => {
    if (message.kind === "chunk") {
      const b = message.bytes;
      shard.pushChunk(Buffer.from(b.buffer, b.byteOffset, b.byteLength), message.final);
      port.postMessage({ kind: "ack" });
    } else port.postMessage({ kind: "result", result: shard.finish() });
  });
}
