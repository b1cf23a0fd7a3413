// Worker entry: Node 20 workers do not run the parent's `--import tsx`, so load tsx here.
import { register } from "tsx/esm/api";

register({ tsconfig: process.env.TSX_TSCONFIG_PATH });
await import("./worker.ts");
