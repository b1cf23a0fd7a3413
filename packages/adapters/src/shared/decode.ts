import { VafaError } from "@vafa/core";

/**
 * Parses a JSON column of a stored event row. A row that does not parse was
 * not written by Vafa (or was damaged): `STORE_CORRUPT`, never a rejection.
 */
export const decodeJson = (text: string, where: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new VafaError(
      "STORE_CORRUPT",
      `${where} is not JSON`,
      "stop writing, run `vafa audit`, and restore the store from a backup or an export",
      { cause: error },
    );
  }
};
