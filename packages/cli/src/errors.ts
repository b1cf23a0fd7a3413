/** Exit codes of spec 8. */
export const EXIT = {
  ok: 0,
  /** A failure (store, I/O, audit findings): what was done stays done. */
  failure: 1,
  /** Bad usage or unreadable input: nothing was done. */
  usage: 2,
  /** `import` finished but some commands were rejected. */
  rejections: 3,
} as const;

/**
 * An error a person can cause and fix. Its message is ONE line that names the
 * thing (flag, file, store) and says what to do; the CLI prints it without a
 * stack trace and exits with `exitCode`.
 */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const usageError = (message: string): CliError => new CliError(message, EXIT.usage);
export const failure = (message: string, cause?: unknown): CliError =>
  new CliError(message, EXIT.failure, { cause });

const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, " ").trim();

interface SystemError {
  code: string;
  path?: string;
  syscall?: string;
  address?: string;
  port?: number;
}

const isSystemError = (error: unknown): error is Error & SystemError =>
  error instanceof Error && typeof (error as Partial<SystemError>).code === "string";

/** Says in one line what went wrong with a file the user named. */
export const describeFileError = (what: string, path: string, error: unknown): string => {
  if (isSystemError(error)) {
    switch (error.code) {
      case "ENOENT":
        return `${what} ${path}: no such file; check the path`;
      case "EACCES":
      case "EPERM":
        return `${what} ${path}: permission denied; check the file's permissions`;
      case "EISDIR":
        return `${what} ${path}: is a directory; give a file`;
      case "ENOTDIR":
        return `${what} ${path}: a part of the path is not a directory; check the path`;
      default:
        return `${what} ${path}: ${error.code} (${oneLine(error.message)})`;
    }
  }
  return `${what} ${path}: ${oneLine(error instanceof Error ? error.message : String(error))}`;
};

/** The one line printed for any error that reaches the top of the CLI. */
export const describeError = (error: unknown): { line: string; exitCode: number } => {
  if (error instanceof CliError) return { line: oneLine(error.message), exitCode: error.exitCode };
  // Duck-typed so a VafaError from any copy of @vafa/core is recognised.
  // The library's hint names a library call; a CLI user is told what to give instead.
  if (
    error instanceof Error &&
    error.name === "VafaError" &&
    (error as { code?: unknown }).code === "PROGRAM_NOT_PUBLISHED"
  )
    return {
      line: "PROGRAM_NOT_PUBLISHED: the events hold no ProgramPublished; give a whole export written by vafa export (it includes the program stream), or a store that vafa import has written",
      exitCode: EXIT.failure,
    };
  if (error instanceof Error && error.name === "VafaError")
    return {
      line: `${String((error as Error & { code?: unknown }).code)}: ${oneLine(error.message)}`,
      exitCode: EXIT.failure,
    };
  const text = error instanceof Error ? error.message : String(error);
  return {
    line: `unexpected error: ${oneLine(text)} (set VAFA_DEBUG=1 to see the stack trace and please report it)`,
    exitCode: EXIT.failure,
  };
};
