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
    const error = Object.assign(new Error("no program"), {
      name: "VafaError",
      code: "PROGRAM_NOT_PUBLISHED",
    });
    expect(describeError(error)).toEqual({ line: "PROGRAM_NOT_PUBLISHED: no program", exitCode: 1 });
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
