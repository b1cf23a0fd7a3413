import type { Draft } from "./draft.js";
import type { Decision } from "./types.js";

/** A decision before sealing: the draft keeps the state its events lead to, and the stamp's other fields. */
export type Drafted =
  | { kind: "events"; draft: Draft; correlationId: string; actor: string | undefined }
  | Exclude<Decision, { kind: "events" }>;
