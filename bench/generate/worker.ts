import { parentPort } from "node:worker_threads";
import { type ChunkSpec, simulateChunk } from "./chunk.js";

// One generator thread: simulates the chunks it is sent, one at a time.
parentPort?.on("message", (spec: ChunkSpec | null) => {
  if (spec === null) {
    parentPort?.close();
    return;
  }
  parentPort?.postMessage(simulateChunk(spec));
});
