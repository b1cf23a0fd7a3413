import { describe, expect, it } from "vitest";
import { eventIdFor, genesisHash, hashEvent, jcs, sha256Hex } from "./index.js";
import { club, join, program, purchase } from "./testing/harness.js";

describe("2 envelope", () => {
  it("eventId is UUID v5 in the URL namespace of <streamId>|<commandId>|<index>", () => {
    // From the golden vector: ava's join.
    expect(eventIdFor("member-ava", "join:ava", 0)).toBe("305aa9c1-78a4-5f92-a841-1e1d654f146d");
    expect(eventIdFor("member-ava", "join:ava", 1)).toBe("5da091a4-2259-5e7f-87a6-31c2008e0949");
  });
  it("the first prevHash is sha256hex('vafa/v1\\n' + streamId)", () => {
    expect(genesisHash("member-ava")).toBe(sha256Hex("vafa/v1\nmember-ava"));
    expect(genesisHash("member-ava")).toBe(
      "c122692f997d49ca6a5ed83501f4152ee2c23b32340fe41aee3e20818a75a5c5",
    );
  });
  it("JCS sorts keys at every level, no white space, ECMAScript numbers", () => {
    expect(jcs({ b: 1, a: { d: [1, 2.5, 1e21], c: "x" } })).toBe('{"a":{"c":"x","d":[1,2.5,1e+21]},"b":1}');
  });
  it("hash = sha256hex(prevHash + '\\n' + JCS(body)) and does not depend on key order", () => {
    const body = {
      streamId: "s",
      revision: 0,
      eventId: "e",
      type: "T",
      occurredAt: "t",
      data: { b: 2, a: 1 },
    };
    const h = hashEvent("p", body);
    expect(h).toBe(sha256Hex(`p\n${jcs(body)}`));
    expect(hashEvent("p", { ...body, data: { a: 1, b: 2 } })).toBe(h);
  });
  it("each event's prevHash is the previous hash; metadata carries the commandId and correlationId; lotId is the eventId", async () => {
    const c = club(program({ earn: { signupBonus: 5 } }));
    await c.ok(join("a", "2011-01-01T00:00:00Z"), purchase("a", "2011-01-02T00:00:00Z", "p1", "10"));
    const events = await c.stream("a");
    expect(events.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
    expect(events[0]?.metadata.prevHash).toBe(genesisHash("member-a"));
    for (let i = 1; i < events.length; i++)
      expect(events[i]?.metadata.prevHash).toBe(events[i - 1]?.metadata.hash);
    expect(events.map((e) => e.metadata.commandId)).toEqual([
      "join:a",
      "join:a",
      "purchase:p1",
      "purchase:p1",
    ]);
    expect(
      events.every((e) => e.metadata.correlationId === e.metadata.commandId && !("actor" in e.metadata)),
    ).toBe(true);
    for (const e of events.filter((x) => x.type === "PointsEarned"))
      expect((e.data as { lotId: string }).lotId).toBe(e.eventId);
    expect(events[3]?.eventId).toBe(eventIdFor("member-a", "purchase:p1", 1));
  });
});

describe("2 event ids agree with the uuid package", () => {
  it("uuidV5 equals uuid's v5 for random names", async () => {
    const { v5 } = await import("uuid");
    const fc = (await import("fast-check")).default;
    const { uuidV5, EVENT_ID_NAMESPACE } = await import("./index.js");
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (name) => uuidV5(name) === v5(name, EVENT_ID_NAMESPACE)),
    );
  });

  it("equals it for names longer than any before (its buffer grows), Persian and Latin", async () => {
    const { v5 } = await import("uuid");
    const { uuidV5, EVENT_ID_NAMESPACE } = await import("./index.js");
    // Each name is five times longer than the one before, so each must grow the buffer
    // (twice the last name's bytes) however large it has become.
    const names = [1_000, 5_000, 25_000, 125_000].map((length) => "p".repeat(length));
    names.push("member-عضو۱۲۳|purchase:خرید|".repeat(20_000));
    for (const name of names) expect(uuidV5(name)).toBe(v5(name, EVENT_ID_NAMESPACE));
  });

  it("reads the namespace buffer at each call: one changed in place names by its new bytes", async () => {
    const { v5 } = await import("uuid");
    const { uuidV5, EVENT_ID_NAMESPACE } = await import("./index.js");
    const DNS = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
    const namespace = Buffer.from(DNS.replaceAll("-", ""), "hex");
    expect(uuidV5("member-a|join:a|0", namespace)).toBe(v5("member-a|join:a|0", DNS));
    namespace.set(Buffer.from(EVENT_ID_NAMESPACE.replaceAll("-", ""), "hex"));
    expect(uuidV5("member-a|join:a|0", namespace)).toBe(v5("member-a|join:a|0", EVENT_ID_NAMESPACE));
  });

  it("stays equal across long names (its buffer grows) and other namespaces in turn", async () => {
    const { v5 } = await import("uuid");
    const fc = (await import("fast-check")).default;
    const { uuidV5, EVENT_ID_NAMESPACE } = await import("./index.js");
    const DNS = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
    const dnsBytes = Buffer.from(DNS.replaceAll("-", ""), "hex");
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: "grapheme", maxLength: 400 }), fc.boolean()), { maxLength: 8 }),
        (calls) =>
          calls.every(([name, dns]) =>
            dns ? uuidV5(name, dnsBytes) === v5(name, DNS) : uuidV5(name) === v5(name, EVENT_ID_NAMESPACE),
          ),
      ),
    );
  });
});
