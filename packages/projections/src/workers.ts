import { Worker } from "node:worker_threads";
import { VafaError, type VafaErrorCode } from "@vafa/core";

/**
 * Starts a worker thread on a module beside the caller: the built `.js`, or,
 * when the caller runs from TypeScript sources (tests, bench), the `.ts`
 * loaded through tsx (Node 20 workers do not inherit `--import tsx`).
 */
export const startWorker = (callerUrl: string, name: string, workerData: unknown): Worker => {
  if (callerUrl.endsWith(".ts")) {
    const entry = new URL(`./${name}.ts`, callerUrl).href;
    const tsconfig = process.env.TSX_TSCONFIG_PATH;
    const boot = `import("tsx/esm/api").then(({ register }) => { register(${JSON.stringify(
      tsconfig ? { tsconfig } : {},
    )}); return import(${JSON.stringify(entry)}); });`;
    return new Worker(boot, { eval: true, workerData });
  }
  return new Worker(new URL(`./${name}.js`, callerUrl), { workerData });
};

/** A typed error as it crosses a thread (structured clone keeps no class). */
export interface WorkerError {
  code: VafaErrorCode | null;
  message: string;
  hint?: string;
}

export const toWorkerError = (error: unknown): WorkerError => {
  if (error instanceof VafaError) {
    const hint = error.hint;
    const message = hint ? error.message.slice(0, -(hint.length + 3)) : error.message;
    return hint ? { code: error.code, message, hint } : { code: error.code, message };
  }
  return { code: null, message: error instanceof Error ? error.message : String(error) };
};

export const fromWorkerError = (e: WorkerError): Error =>
  e.code === null ? new Error(e.message) : new VafaError(e.code, e.message, e.hint);
