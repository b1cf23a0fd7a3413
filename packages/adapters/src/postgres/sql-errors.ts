import { VafaError } from "@vafa/core";

/** A driver error as the port's `STORE_UNAVAILABLE` (a `VafaError` passes through). */
export const unavailable = (error: unknown): VafaError =>
  error instanceof VafaError
    ? error
    : new VafaError(
        "STORE_UNAVAILABLE",
        `the PostgreSQL store failed: ${error instanceof Error ? error.message : String(error)}`,
        "check that the database is reachable and its schema is a Vafa schema",
        { cause: error },
      );
