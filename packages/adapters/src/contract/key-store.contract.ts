import { type KeyGenerator, type KeyStore, testDataKey, VafaError } from "@vafa/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The key-store contract of club-v1 §6 (port: packages/core/src/privacy/key-store.ts),
// run on every implementation: memory, file, PGlite, PostgreSQL.

export interface KeyStoreSubject {
  /** Opens a key store on the shared location (each call may be a new client of it). */
  open(options?: { generate?: KeyGenerator }): Promise<KeyStore>;
  cleanup(): Promise<void>;
}

export interface KeyStoreContractOptions {
  /** Runs of the model-based property (default 30; each destroy rewrites a table on SQL stores). */
  modelRuns?: number;
  /** Whether two `open()` calls reach the same keys (false for the memory store). */
  shared?: boolean;
}

/** A member id unique to one test run. */
const member = (label: string): string =>
  `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

const rejectionOf = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
};

const expectKeyDestroyed = async (promise: Promise<unknown>): Promise<void> => {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(VafaError);
  expect((error as VafaError).code).toBe("KEY_DESTROYED");
};

const hex = (key: Uint8Array | undefined) =>
  key === undefined ? undefined : Buffer.from(key).toString("hex");

export const describeKeyStoreContract = (
  name: string,
  factory: () => Promise<KeyStoreSubject>,
  options: KeyStoreContractOptions = {},
): void => {
  describe(`key store contract: ${name} (club-v1 §6)`, () => {
    let subject: KeyStoreSubject;
    let keys: KeyStore;
    beforeAll(async () => {
      subject = await factory();
      keys = await subject.open();
    });
    afterAll(async () => {
      await keys?.close?.();
      await subject?.cleanup();
    });

    it("§6 create makes a 32-byte key, and is idempotent: a second create and get return the same key", async () => {
      const id = member("idem");
      expect(await keys.get(id)).toBeUndefined();
      const first = await keys.create(id);
      expect(first).toBeInstanceOf(Uint8Array);
      expect(first.length).toBe(32);
      expect(hex(await keys.create(id))).toBe(hex(first));
      expect(hex(await keys.get(id))).toBe(hex(first));
    });

    it("§6 different members get different keys", async () => {
      const made = await Promise.all([1, 2, 3, 4, 5].map((i) => keys.create(member(`diff${i}`))));
      expect(new Set(made.map(hex)).size).toBe(5);
    });

    it("§6 a returned key is a copy: changing it changes nothing stored", async () => {
      const id = member("copy");
      const key = await keys.create(id);
      const before = hex(key);
      key.fill(7);
      expect(hex(await keys.get(id))).toBe(before);
      expect(hex(await keys.create(id))).toBe(before);
    });

    it("§6 after destroy: get is undefined, create throws KEY_DESTROYED, destroy again is fine", async () => {
      const id = member("destroy");
      await keys.create(id);
      await keys.destroy(id);
      expect(await keys.get(id)).toBeUndefined();
      await expectKeyDestroyed(keys.create(id));
      await keys.destroy(id);
      expect(await keys.get(id)).toBeUndefined();
      await expectKeyDestroyed(keys.create(id));
    });

    it("§6 destroying a member that has no key records the destruction: create refuses", async () => {
      const id = member("never");
      await keys.destroy(id);
      expect(await keys.get(id)).toBeUndefined();
      await expectKeyDestroyed(keys.create(id));
    });

    it("§6 racing creates for one member end with one key", async () => {
      const id = member("race");
      const made = await Promise.all(Array.from({ length: 8 }, () => keys.create(id)));
      expect(new Set(made.map(hex)).size).toBe(1);
      expect(hex(await keys.get(id))).toBe(hex(made[0]));
    });

    it("§6 a create racing a destroy: afterwards the key is gone and create refuses", async () => {
      const id = member("race-destroy");
      const [created] = await Promise.allSettled([keys.create(id), keys.destroy(id)]);
      if (created.status === "rejected") expect((created.reason as VafaError).code).toBe("KEY_DESTROYED");
      expect(await keys.get(id)).toBeUndefined();
      await expectKeyDestroyed(keys.create(id));
    });

    it("§6 the generator makes the keys (test vectors: testDataKey), and a wrong length is refused", async () => {
      const vectorKeys = await subject.open({ generate: testDataKey });
      const bad = await subject.open({ generate: () => new Uint8Array(16) });
      try {
        const id = member("vector");
        expect(hex(await vectorKeys.create(id))).toBe(hex(testDataKey(id)));
        const error = await rejectionOf(bad.create(member("short")));
        expect((error as VafaError).code).toBe("INVARIANT");
      } finally {
        await vectorKeys.close?.();
        await bad.close?.();
      }
    });

    if (options.shared !== false)
      it("§6 two clients of one location see the same keys, racing creates included", async () => {
        const other = await subject.open();
        try {
          const id = member("two-clients");
          const [a, b] = await Promise.all([keys.create(id), other.create(id)]);
          expect(hex(a)).toBe(hex(b));
          await other.destroy(id);
          expect(await keys.get(id)).toBeUndefined();
          await expectKeyDestroyed(keys.create(id));
        } finally {
          await other.close?.();
        }
      });

    it("§6 model: any sequence of create, get and destroy behaves like a map with tombstones", async () => {
      type Op = { kind: "create" | "get" | "destroy"; who: number };
      const op = fc.record({
        kind: fc.constantFrom<Op["kind"]>("create", "create", "get", "get", "destroy"),
        who: fc.integer({ min: 0, max: 2 }),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
          const ids = [0, 1, 2].map((i) => member(`model${i}`));
          const model = new Map<string, string | null>();
          for (const { kind, who } of ops) {
            const id = ids[who] as string;
            const known = model.get(id);
            if (kind === "destroy") {
              await keys.destroy(id);
              model.set(id, null);
            } else if (kind === "get") {
              expect(hex(await keys.get(id))).toBe(known ?? undefined);
            } else if (known === null) {
              await expectKeyDestroyed(keys.create(id));
            } else {
              const key = hex(await keys.create(id));
              if (known !== undefined) expect(key).toBe(known);
              model.set(id, key ?? null);
            }
          }
        }),
        { numRuns: options.modelRuns ?? 30 },
      );
    });
  });
};
