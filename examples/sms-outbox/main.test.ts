import { describe, expect, it } from "vitest";
import { startGateway } from "./gateway.js";
import { runSmsOutbox } from "./main.js";

// Issue 13: a crash between sending and recording re-sends nothing twice when
// the host passes the messageKey as the gateway's idempotency key (club-v1 §5).

describe("examples/sms-outbox", () => {
  it("with the messageKey as idempotency key: every SMS sent once, all recorded, nothing left due", async () => {
    const r = await runSmsOutbox({ print: () => {} });
    // ali (fa), sara and nina welcomed; sara's tier_up; reza gave no SMS consent.
    expect(r.due).toHaveLength(4);
    expect(r.due.every((k) => /^(welcome|gold)\|(ali|sara|nina)\|/.test(k))).toBe(true);
    expect(r.delivered.map((d) => d.idempotencyKey)).toEqual(r.due);
    expect(r.recorded).toBe(4);
    expect(r.dueAfter).toEqual([]);
    const ali = r.delivered.find((d) => d.to === "+989120000001");
    expect(ali?.text).toBe("Ali عزیز، به باشگاه خوش آمدید. امتیاز شما: ۵۰");
  });

  it("a crash after every position of the run never sends a message twice", async () => {
    for (let crash = 1; crash <= 4; crash++) {
      const r = await runSmsOutbox({ crashAfterSending: crash, print: () => {} });
      const keys = r.delivered.map((d) => d.idempotencyKey);
      expect(new Set(keys).size).toBe(keys.length);
      expect(new Set(keys)).toEqual(new Set(r.due));
      expect(r.recorded).toBe(r.due.length);
      expect(r.dueAfter).toEqual([]);
    }
  });

  it("without the idempotency key, the message whose record was lost is sent twice", async () => {
    const r = await runSmsOutbox({ useIdempotencyKey: false, crashAfterSending: 2, print: () => {} });
    const texts = r.delivered.map((d) => `${d.to} ${d.text}`);
    expect(texts.length).toBe(r.due.length + 1);
    expect(new Set(texts).size).toBe(r.due.length);
  });

  it("the gateway answers a known key with its first id and sends nothing", async () => {
    const gateway = await startGateway();
    try {
      const post = (key: string) =>
        fetch(`${gateway.url}/v1/messages`, {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": key },
          body: JSON.stringify({ to: "+10000000000", text: "hi" }),
        }).then(async (res) => ({ status: res.status, body: (await res.json()) as { id: string } }));
      const first = await post("k1");
      const again = await post("k1");
      expect(first.status).toBe(201);
      expect(again).toEqual({ status: 200, body: { id: first.body.id, replayed: true } });
      expect(gateway.delivered).toHaveLength(1);
    } finally {
      await gateway.close();
    }
  });
});
