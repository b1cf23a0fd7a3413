import { readFile } from "node:fs/promises";
import { describeProgramError, type Program, programSchema } from "@vafa/core";
import { describeFileError, usageError } from "./errors.js";

/** Reads and validates a program file (spec 3); any problem is one usage error naming the file and the key. */
export const loadProgram = async (path: string): Promise<Program> => {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw usageError(describeFileError("program", path, error));
  }
  return parseProgram(text, path);
};

export const parseProgram = (text: string, path: string): Program => {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw usageError(`program ${path}: not valid JSON (${reason}); fix the file`);
  }
  const result = programSchema.safeParse(json);
  if (!result.success)
    throw usageError(
      `program ${path}: ${describeProgramError(result.error)}; fix the program (spec section 3)`,
    );
  // The program exactly as written: ProgramPublished copies it.
  return json as Program;
};
