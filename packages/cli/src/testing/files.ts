import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./vafa.js";

export const tempDir = (name: string): string => mkdtempSync(join(tmpdir(), `vafa-e2e-${name}-`));
export const fixture = (path: string): string => join(ROOT, "fixtures", path);
export const readJson = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));
export const ndjson = (text: string): Record<string, unknown>[] =>
  text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
export const readNdjson = (path: string): Record<string, unknown>[] => ndjson(readFileSync(path, "utf8"));
export const withoutRecordedAt = (events: Record<string, unknown>[]) =>
  events.map(({ recordedAt: _recordedAt, ...rest }) => rest);
