/** The little SQL surface the store needs, so one store runs on `pg` and on PGlite. */
export interface SqlQueryable {
  query<Row extends object>(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface SqlClient extends SqlQueryable {
  /** Runs `work` in one transaction (BEGIN ... COMMIT, ROLLBACK when it throws). */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Calls `onNotify` on each NOTIFY on `channel` from any connection; resolves to an unlisten function. */
  listen?(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Runs async jobs one after another (PGlite has a single connection). */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
