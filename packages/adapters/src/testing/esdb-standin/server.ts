/**
 * A protocol-level EventStoreDB stand-in for tests: an in-memory gRPC server that
 * implements the parts of the Streams service the official client uses for our
 * adapter (Append; Read of a stream and of $all, including catch-up subscriptions
 * with stream-name filters). It serves the service definitions generated inside
 * `@eventstore/db-client`, so the real client talks to it unmodified.
 *
 * Semantics copied from the server: revisions per stream, $all positions where the
 * events of one append share a commit position and have increasing prepare
 * positions, idempotent appends (same ids at the same revisions succeed without
 * writing), WrongExpectedVersion results, reading $all from a position includes it,
 * subscribing from a position excludes it. Not implemented (the adapter does not
 * use them): BatchAppend, ServerFeatures (the client then falls back to Append),
 * deletes, tombstones, stream subscriptions, links, ACLs, persistence.
 */
import { createRequire } from "node:module";
import * as grpc from "@grpc/grpc-js";

const require = createRequire(import.meta.url);
const clientEntry = require.resolve("@eventstore/db-client");
const generated = (name: string) =>
  require(new URL(`../generated/${name}`, `file://${clientEntry}`).pathname);

// The generated google-protobuf classes (typed loosely: this is test tooling).
const streamsPb = generated("streams_pb.js") as Record<string, unknown>;
const sharedPb = generated("shared_pb.js") as Record<string, unknown>;
const { StreamsService } = generated("streams_grpc_pb.js") as { StreamsService: grpc.ServiceDefinition };

// biome-ignore lint/suspicious/noExplicitAny: google-protobuf generated classes are untyped here
type Pb = any;
const ReadResp: Pb = streamsPb.ReadResp;
const AppendResp: Pb = streamsPb.AppendResp;
const Empty: Pb = sharedPb.Empty;
const UUID: Pb = sharedPb.UUID;
const StreamIdentifier: Pb = sharedPb.StreamIdentifier;

interface Recorded {
  streamId: string;
  revision: bigint;
  id: string;
  metadata: Map<string, string>;
  data: Uint8Array;
  customMetadata: Uint8Array;
  commit: bigint;
  prepare: bigint;
}

export interface StandIn {
  url: string;
  port: number;
  /** Number of events stored (all streams). */
  size(): number;
  stop(): Promise<void>;
}

const uuidFrom = (uuid: Pb): string => {
  if (uuid.hasStructured()) {
    const s = uuid.getStructured();
    const hex = (v: string) => BigInt.asUintN(64, BigInt(v)).toString(16).padStart(16, "0");
    const h = hex(s.getMostSignificantBits()) + hex(s.getLeastSignificantBits());
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  return uuid.getString();
};

const bytes = (value: Uint8Array | string): Uint8Array =>
  typeof value === "string" ? Buffer.from(value, "base64") : value;

export interface StandInOptions {
  /** Called once an append is stored, before its answer is sent (crash tests kill the client here). */
  onStored?: (streamId: string) => void;
}

export const startStandIn = async (hooks: StandInOptions = {}): Promise<StandIn> => {
  const log: Recorded[] = [];
  const streams = new Map<string, Recorded[]>();
  const listeners = new Set<(events: Recorded[]) => void>();
  let nextPrepare = 1_000n;

  const recordedEvent = (e: Recorded): Pb => {
    const r = new ReadResp.ReadEvent.RecordedEvent();
    const id = new UUID();
    id.setString(e.id);
    r.setId(id);
    const sid = new StreamIdentifier();
    sid.setStreamName(Buffer.from(e.streamId, "utf8"));
    r.setStreamIdentifier(sid);
    r.setStreamRevision(e.revision.toString());
    r.setCommitPosition(e.commit.toString());
    r.setPreparePosition(e.prepare.toString());
    for (const [k, v] of e.metadata) r.getMetadataMap().set(k, v);
    r.setData(e.data);
    r.setCustomMetadata(e.customMetadata);
    return r;
  };

  const eventResp = (e: Recorded, withCommit: boolean): Pb => {
    const ev = new ReadResp.ReadEvent();
    ev.setEvent(recordedEvent(e));
    if (withCommit) ev.setCommitPosition(e.commit.toString());
    else ev.setNoPosition(new Empty());
    const resp = new ReadResp();
    resp.setEvent(ev);
    return resp;
  };

  const append = (call: grpc.ServerReadableStream<Pb, Pb>, callback: grpc.sendUnaryData<Pb>) => {
    let options: Pb;
    const proposed: Pb[] = [];
    call.on("data", (req: Pb) => {
      if (req.hasOptions()) options = req.getOptions();
      else proposed.push(req.getProposedMessage());
    });
    call.on("error", () => {});
    call.on("end", () => {
      const streamId = Buffer.from(options.getStreamIdentifier().getStreamName_asU8()).toString("utf8");
      const stream = streams.get(streamId) ?? [];
      const current = BigInt(stream.length) - 1n;
      const ids = proposed.map((p) => uuidFrom(p.getId()));
      const Case = streamsPb.AppendReq as Pb;
      const kind = options.getExpectedStreamRevisionCase();
      const cases = Case.Options.ExpectedStreamRevisionCase;
      let expected: bigint | "any" | "exists";
      if (kind === cases.REVISION) expected = BigInt(options.getRevision());
      else if (kind === cases.NO_STREAM) expected = -1n;
      else if (kind === cases.STREAM_EXISTS) expected = "exists";
      else expected = "any";

      const resp = new AppendResp();
      const success = (revision: bigint, commit: bigint, prepare: bigint) => {
        const ok = new AppendResp.Success();
        if (revision < 0n) ok.setNoStream(new Empty());
        else ok.setCurrentRevision(revision.toString());
        const position = new AppendResp.Position();
        position.setCommitPosition(commit.toString());
        position.setPreparePosition(prepare.toString());
        ok.setPosition(position);
        resp.setSuccess(ok);
        callback(null, resp);
      };
      // Idempotency: the same ids already stored right after the expected revision.
      const storedRun = (from: bigint): Recorded[] | undefined => {
        const slice = stream.slice(Number(from), Number(from) + ids.length);
        return ids.length > 0 && slice.length === ids.length && slice.every((e, i) => e.id === ids[i])
          ? slice
          : undefined;
      };
      const firstIdAt = ids.length > 0 ? stream.findIndex((e) => e.id === ids[0]) : -1;
      const duplicate =
        typeof expected === "bigint" && expected !== current
          ? storedRun(expected + 1n)
          : expected === "any" && firstIdAt >= 0
            ? storedRun(BigInt(firstIdAt))
            : undefined;
      if (duplicate) {
        const last = duplicate[duplicate.length - 1] as Recorded;
        return success(last.revision, last.commit, last.prepare);
      }
      const ok = expected === "any" || (expected === "exists" ? current >= 0n : expected === current);
      if (!ok) {
        const wrong = new AppendResp.WrongExpectedVersion();
        if (current < 0n) wrong.setCurrentNoStream(new Empty());
        else wrong.setCurrentRevision(current.toString());
        if (typeof expected === "bigint") {
          if (expected < 0n) wrong.setExpectedNoStream(new Empty());
          else wrong.setExpectedRevision(expected.toString());
        } else if (expected === "exists") wrong.setExpectedStreamExists(new Empty());
        else wrong.setExpectedAny(new Empty());
        resp.setWrongExpectedVersion(wrong);
        return callback(null, resp);
      }
      if (proposed.length === 0) return success(current, -1n, -1n);
      const commit = nextPrepare;
      const created = (BigInt(Date.now()) * 10_000n).toString();
      const added = proposed.map((p, i): Recorded => {
        const metadata = new Map<string, string>();
        p.getMetadataMap().forEach((v: string, k: string) => {
          metadata.set(k, v);
        });
        metadata.set("created", created);
        const data = bytes(p.getData());
        const record: Recorded = {
          streamId,
          revision: current + 1n + BigInt(i),
          id: ids[i] as string,
          metadata,
          data,
          customMetadata: bytes(p.getCustomMetadata()),
          commit,
          prepare: nextPrepare,
        };
        // prepare positions are log offsets: grow by the record's size
        nextPrepare += BigInt(100 + data.length);
        return record;
      });
      stream.push(...added);
      streams.set(streamId, stream);
      log.push(...added);
      const last = added[added.length - 1] as Recorded;
      hooks.onStored?.(streamId);
      success(last.revision, commit, last.prepare);
      for (const listener of listeners) listener(added);
    });
  };

  const matchesFilter = (filter: Pb | undefined, e: Recorded): boolean => {
    if (!filter) return true;
    const expr = filter.hasStreamIdentifier() ? filter.getStreamIdentifier() : filter.getEventType();
    const subject = filter.hasStreamIdentifier() ? e.streamId : (e.metadata.get("type") ?? "");
    const prefixes: string[] = expr.getPrefixList();
    if (prefixes.length > 0) return prefixes.some((p) => subject.startsWith(p));
    const regex: string = expr.getRegex();
    return regex ? new RegExp(regex).test(subject) : true;
  };

  const read = (call: grpc.ServerWritableStream<Pb, Pb>) => {
    const options = call.request.getOptions();
    const backwards = options.getReadDirection() === 1;
    const subscribing = options.hasSubscription();
    const count = options.hasCount() ? Number(BigInt(options.getCount())) : Number.MAX_SAFE_INTEGER;
    if (options.hasStream()) {
      const s = options.getStream();
      const streamId = Buffer.from(s.getStreamIdentifier().getStreamName_asU8()).toString("utf8");
      if (subscribing) {
        call.emit("error", {
          code: grpc.status.UNIMPLEMENTED,
          details: "stream subscriptions: not in the stand-in",
        });
        return;
      }
      const stream = streams.get(streamId);
      if (!stream || stream.length === 0) {
        const nf = new ReadResp.StreamNotFound();
        nf.setStreamIdentifier(s.getStreamIdentifier());
        const resp = new ReadResp();
        resp.setStreamNotFound(nf);
        call.write(resp);
        call.end();
        return;
      }
      let events: Recorded[];
      if (!backwards) {
        const from = s.hasRevision() ? Number(BigInt(s.getRevision())) : s.hasEnd() ? stream.length : 0;
        events = stream.slice(from, from + count);
      } else {
        const from = s.hasRevision() ? Number(BigInt(s.getRevision())) : stream.length - 1;
        events = stream.slice(Math.max(0, from - count + 1), from + 1).reverse();
      }
      for (const e of events) call.write(eventResp(e, false));
      call.end();
      return;
    }
    const all = options.getAll();
    const filter = options.hasFilter() ? options.getFilter() : undefined;
    const after = (e: Recorded, p: { commit: bigint; prepare: bigint }) =>
      e.commit > p.commit || (e.commit === p.commit && e.prepare >= p.prepare);
    let start: { commit: bigint; prepare: bigint } | "start" | "end" = "start";
    if (all.hasEnd()) start = "end";
    else if (all.hasPosition()) {
      const p = all.getPosition();
      start = { commit: BigInt(p.getCommitPosition()), prepare: BigInt(p.getPreparePosition()) };
    }
    if (!subscribing) {
      let events: Recorded[];
      if (!backwards) {
        events =
          start === "start"
            ? log
            : start === "end"
              ? []
              : log.filter((e) => after(e, start as { commit: bigint; prepare: bigint }));
      } else {
        events = (start === "end" || start === "start" ? log : log.filter((e) => !after(e, start)))
          .slice()
          .reverse();
      }
      let sent = 0;
      for (const e of events) {
        if (sent >= count) break;
        sent += 1;
        if (matchesFilter(filter, e)) call.write(eventResp(e, true));
      }
      call.end();
      return;
    }
    // catch-up subscription: confirmation, stored events after the position, caught-up, then live
    const confirmation = new ReadResp.SubscriptionConfirmation();
    confirmation.setSubscriptionId(`standin-${Math.random().toString(36).slice(2)}`);
    const first = new ReadResp();
    first.setConfirmation(confirmation);
    call.write(first);
    const strictlyAfter = (e: Recorded) =>
      start === "start" ||
      (start !== "end" &&
        (e.commit > start.commit || (e.commit === start.commit && e.prepare > start.prepare)));
    for (const e of start === "end" ? [] : log) {
      if (strictlyAfter(e) && matchesFilter(filter, e)) call.write(eventResp(e, true));
    }
    const caughtUp = new ReadResp();
    caughtUp.setCaughtUp(new ReadResp.CaughtUp());
    call.write(caughtUp);
    const listener = (events: Recorded[]) => {
      for (const e of events) if (matchesFilter(filter, e)) call.write(eventResp(e, true));
    };
    listeners.add(listener);
    const stop = () => listeners.delete(listener);
    call.on("cancelled", stop);
    call.on("close", stop);
    call.on("error", stop);
  };

  const server = new grpc.Server();
  server.addService(StreamsService, { read, append } as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    url: `esdb://127.0.0.1:${port}?tls=false`,
    port,
    size: () => log.length,
    stop: () =>
      new Promise<void>((resolve) => {
        listeners.clear();
        server.tryShutdown(() => resolve());
        // open subscriptions never end on their own
        setTimeout(() => server.forceShutdown(), 200).unref();
      }),
  };
};
