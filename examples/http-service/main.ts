/**
 * Vafa behind an HTTP API.
 *
 *   node --import tsx examples/http-service/main.ts            # PGlite in ./.vafa-http
 *   VAFA_PG_URL=postgres://user:pass@localhost/vafa node --import tsx examples/http-service/main.ts
 *
 * Env: PORT (default 3000), HOST (default 127.0.0.1), VAFA_PGLITE_DIR,
 * VAFA_PROGRAM (a program JSON file; default the Online Retail club),
 * VAFA_COUPON_SECRET (needed when a reward issues coupons, club-v1 §2).
 */
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { createLedger, type EventStore, type Program } from "@vafa/core";
import { createApp } from "./app.js";

export interface ServiceOptions {
  store: EventStore;
  program: Program;
  /** 0 picks a free port. */
  port?: number;
  hostname?: string;
  /** Dates the ProgramPublished event when the program version is new (default: now). */
  publishAt?: string;
  now?: () => string;
  /** HMAC key of coupon codes (club-v1 §2); required when a reward issues coupons. */
  couponSecret?: string;
}

export interface RunningService {
  url: string;
  close(): Promise<void>;
}

/** Publishes the program if new, and serves the API until `close()`. */
export const startService = async (options: ServiceOptions): Promise<RunningService> => {
  const { store, program } = options;
  const ledger = createLedger({
    store,
    program,
    ...(options.couponSecret ? { couponSecret: options.couponSecret } : {}),
  });
  await ledger.publishProgram(options.publishAt ?? new Date().toISOString());
  const app = createApp({ ledger, store, program, ...(options.now ? { now: options.now } : {}) });
  const hostname = options.hostname ?? "127.0.0.1";
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve) => {
      const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname }, (info: AddressInfo) =>
        resolve({ server, port: info.port }),
      );
    },
  );
  return {
    url: `http://${hostname}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
};

/** The store named by the environment: PostgreSQL with VAFA_PG_URL, else embedded PGlite. */
export const openStoreFromEnv = async (
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ store: EventStore; name: string }> => {
  if (env.VAFA_PG_URL) {
    const { createPostgresStore } = await import("@vafa/adapters/postgres");
    return { store: await createPostgresStore({ connectionString: env.VAFA_PG_URL }), name: "postgres" };
  }
  const { createPgliteStore } = await import("@vafa/adapters/pglite");
  const dir = env.VAFA_PGLITE_DIR ?? "./.vafa-http";
  return { store: await createPgliteStore({ dataDir: dir }), name: `pglite:${dir}` };
};

const main = async (): Promise<void> => {
  const programFile =
    process.env.VAFA_PROGRAM ??
    fileURLToPath(new URL("../../fixtures/online-retail/program.json", import.meta.url));
  const program = JSON.parse(readFileSync(programFile, "utf8")) as Program;
  const { store, name } = await openStoreFromEnv();
  const service = await startService({
    store,
    program,
    port: Number(process.env.PORT ?? 3000),
    hostname: process.env.HOST ?? "127.0.0.1",
    ...(process.env.VAFA_COUPON_SECRET ? { couponSecret: process.env.VAFA_COUPON_SECRET } : {}),
  });
  console.log(
    `vafa http-service on ${service.url} (store ${name}, program ${program.programId} v${program.version})`,
  );
  const stop = async () => {
    await service.close();
    await store.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    const e = error as { code?: string; message?: string };
    console.error(`http-service failed: ${e.code ? `${e.code}: ` : ""}${e.message ?? String(error)}`);
    process.exit(1);
  });
}
