import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// A small local stand-in of an SMS gateway (node:http), for the example and
// its test: `POST /v1/messages {to, text}` answers `{id}`. Like real gateways
// it takes an `Idempotency-Key` header: a key it has seen gets the first
// answer again and nothing is sent twice. `honourIdempotencyKey: false` makes
// a gateway that ignores it, to show what a crash costs without one.

/** One SMS the gateway actually handed to the network. */
export interface Delivery {
  id: string;
  to: string;
  text: string;
  idempotencyKey: string | undefined;
}

export interface Gateway {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  url: string;
  /** Every SMS sent, in order. */
  readonly delivered: Delivery[];
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

const answer = (res: ServerResponse, status: number, body: object): void => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

/** Starts the gateway on a free local port. */
export const startGateway = async (options: { honourIdempotencyKey?: boolean } = {}): Promise<Gateway> => {
  const honour = options.honourIdempotencyKey ?? true;
  const delivered: Delivery[] = [];
  const byKey = new Map<string, string>();
  const server = createServer(async (req, res) => {
    if (req.method !== "POST" || req.url !== "/v1/messages") return answer(res, 404, { error: "not found" });
    let body: { to?: unknown; text?: unknown };
    try {
      body = JSON.parse(await readBody(req)) as typeof body;
    } catch {
      return answer(res, 400, { error: "body is not JSON" });
    }
    if (typeof body.to !== "string" || typeof body.text !== "string")
      return answer(res, 400, { error: "to and text are required" });
    const header = req.headers["idempotency-key"];
    const key = typeof header === "string" && header !== "" ? header : undefined;
    const known = honour && key !== undefined ? byKey.get(key) : undefined;
    if (known !== undefined) return answer(res, 200, { id: known, replayed: true });
    const id = `sms-${delivered.length + 1}`;
    delivered.push({ id, to: body.to, text: body.text, idempotencyKey: key });
    if (key !== undefined) byKey.set(key, id);
    return answer(res, 201, { id });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    delivered,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
};
