/**
 * `JSON.parse(JSON.stringify(value))` without the text (issue 11): event data
 * is plain JSON, copied member by member. Anything else (a toJSON, a Date, a
 * non-finite number, a prototype other than Object's or Array's, `__proto__`
 * as a key, deep nesting) goes through JSON as before, so the copy is the same.
 */
export const copyJson = <T>(value: T): T => {
  try {
    return copy(value, 0) as T;
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
  }
  return JSON.parse(JSON.stringify(value)) as T;
};

const MAX_DEPTH = 64;
const NOT_PLAIN: unique symbol = Symbol("vafa.copyJson.notPlain");

const copy = (value: unknown, depth: number): unknown => {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (!Number.isFinite(value)) throw NOT_PLAIN;
      // JSON writes -0 as 0.
      return value === 0 ? 0 : value;
    case "object": {
      if (value === null) return null;
      if (depth >= MAX_DEPTH) throw NOT_PLAIN;
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) throw NOT_PLAIN;
        const out: unknown[] = new Array(value.length);
        for (let i = 0; i < value.length; i++) {
          const element: unknown = value[i];
          // JSON writes an undefined element as null.
          out[i] = element === undefined ? null : copy(element, depth + 1);
        }
        return out;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) throw NOT_PLAIN;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const member: unknown = (value as Record<string, unknown>)[key];
        if (member === undefined) continue; // JSON leaves it out
        if (key === "__proto__") throw NOT_PLAIN;
        out[key] = copy(member, depth + 1);
      }
      return out;
    }
    default:
      throw NOT_PLAIN;
  }
};
