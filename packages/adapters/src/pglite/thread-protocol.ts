import type { PgliteSource } from "./pglite-client.js";

/** Messages between `pgliteThreadClient` and its worker (pglite-thread.ts). */
export type ThreadSource = PgliteSource;

export type ThreadRequest =
  | { id: number; op: "query"; text: string; params: readonly unknown[]; tx?: number }
  | { id: number; op: "begin" }
  | { id: number; op: "end"; tx: number; commit: boolean }
  | { id: number; op: "dump" }
  | { id: number; op: "close" };

/** `id` 0 answers the opening of the database. */
export type ThreadReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { message: string; code?: string } };
