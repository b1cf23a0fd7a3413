import { readFile } from "node:fs/promises";
import { issuesCoupons, type Program } from "@vafa/core";
import { describeFileError, usageError } from "./errors.js";

/**
 * The coupon secret of club-v1 §2, §9: `--coupon-secret-file` (one trailing
 * newline removed), else VAFA_COUPON_SECRET; empty means missing. A program
 * whose rewards issue coupons does not start without it (exit 2).
 */
export const readCouponSecret = async (
  program: Program,
  file: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> => {
  let secret: string | undefined;
  if (file !== undefined) {
    try {
      secret = (await readFile(file, "utf8")).replace(/\r?\n$/, "");
    } catch (error) {
      throw usageError(describeFileError("coupon secret file", file, error));
    }
  } else secret = env.VAFA_COUPON_SECRET;
  if (secret === "") secret = undefined;
  if (secret === undefined && issuesCoupons(program.rewards))
    throw usageError(
      `COUPON_SECRET_MISSING: program ${program.programId} has rewards that issue coupons; set VAFA_COUPON_SECRET or pass --coupon-secret-file <file>`,
    );
  return secret;
};
