import { describe, expect, it } from "vitest";
import { CliError, describeError, describeFileError, EXIT } from "./errors.js";

describe("8 errors are one line", () => {
  it("8 exit codes of spec 8", () => {
    expect(EXIT).toEqual({ ok: 0, failure: 1, usage: 2, rejections: 3 });
  });

  it("a CliError keeps its code and loses line breaks", () => {
    expect(describeError(new CliError("a\n  b", 2))).toEqual({ line: "a b", exitCode: 2 });
  });

  it("a VafaError-like error shows its code, exit 1", () => {
    const error = Object.assign(new Error("the store failed"), {
      name: "VafaError",
      code: "STORE_UNAVAILABLE",
    });
    expect(describeError(error)).toEqual({ line: "STORE_UNAVAILABLE: the store failed", exitCode: 1 });
  });

  it("PROGRAM_NOT_PUBLISHED: the library's hint (a library call) is replaced by what a CLI user gives", () => {
    const error = Object.assign(
      new Error(
        "no ProgramPublished event (apply the program stream too, or pass `program` to createLedgerProjection)",
      ),
      { name: "VafaError", code: "PROGRAM_NOT_PUBLISHED" },
    );
    const { line, exitCode } = describeError(error);
    expect(exitCode).toBe(1);
    expect(line).not.toContain("createLedgerProjection");
    expect(line).toMatch(/^PROGRAM_NOT_PUBLISHED: the events hold no ProgramPublished; give a whole export/);
  });

  it("anything else is one line that says how to see more", () => {
    const { line, exitCode } = describeError(new TypeError("x is undefined\n    at f (a.js:1:1)"));
    expect(exitCode).toBe(1);
    expect(line).toMatch(/^unexpected error: x is undefined .*VAFA_DEBUG=1/);
  });

  it("file errors name the file and what to do", () => {
    const enoent = Object.assign(new Error("ENOENT: no such file"), { code: "ENOENT" });
    expect(describeFileError("program", "p.json", enoent)).toBe(
      "program p.json: no such file; check the path",
    );
    const eacces = Object.assign(new Error("EACCES"), { code: "EACCES" });
    expect(describeFileError("--out", "/x", eacces)).toBe(
      "--out /x: permission denied; check the file's permissions",
    );
  });
});
