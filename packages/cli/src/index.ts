export { buildCli, runCli } from "./cli.js";
export { CliError, describeError, EXIT } from "./errors.js";
export type { CliIo } from "./io.js";
export { type InputLine, isBlankLine, readLines } from "./lines.js";
export {
  FORMATS,
  type JsonValue,
  type OutputFormat,
  render,
  renderCsv,
  renderJson,
  renderTable,
} from "./output-format.js";
export { loadProgram, parseProgram } from "./program-file.js";
export { DEFAULT_STORE, openStore, parseStoreUrl, type StoreLocation } from "./stores.js";
