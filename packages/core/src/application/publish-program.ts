import { eventIdFor, type ProposedEvent, programStreamId, sealEvent } from "../envelope.js";
import { ConcurrencyError, VafaError } from "../errors.js";
import { jsonEquals } from "../idempotency.js";
import { parseTime, toIso } from "../primitives.js";
import type { Program } from "../program.js";
import type { EventStore } from "../store.js";

/** Appends ProgramPublished once per program version; a changed program under a published version is refused. */
export const publishProgram = async (
  store: EventStore,
  program: Program,
  maxAttempts: number,
  at: string,
): Promise<{ published: boolean; events: ProposedEvent[] }> => {
  const atMs = parseTime(at);
  if (atMs === undefined)
    throw new VafaError("VALIDATION", `at: ${at} is not a valid time`, "pass an ISO time");
  const streamId = programStreamId(program.programId);
  for (let attempt = 1; ; attempt++) {
    const existing = await store.readStream(streamId);
    const same = existing.find(
      (e) =>
        e.type === "ProgramPublished" && (e.data as { program: Program }).program.version === program.version,
    );
    if (same) {
      if (!jsonEquals((same.data as { program: Program }).program, program)) {
        const latest = Math.max(
          ...existing.map((e) => (e.data as { program?: Program }).program?.version ?? 0),
        );
        throw new VafaError(
          "PROGRAM_INVALID",
          `program ${program.programId} version ${program.version} was already published with other content`,
          `a changed program needs a new version: raise "version" to ${latest + 1}, or use version ${program.version} as published`,
        );
      }
      return { published: false, events: [] };
    }
    const last = existing[existing.length - 1];
    const revision = (last?.revision ?? -1) + 1;
    const commandId = `publish:${program.programId}:${program.version}`;
    const event = sealEvent(
      {
        streamId,
        revision,
        lastHash: last?.metadata.hash ?? null,
        programId: program.programId,
        programVersion: program.version,
        commandId,
        correlationId: commandId,
      },
      eventIdFor(streamId, commandId, 0),
      "ProgramPublished",
      toIso(atMs),
      { program },
    ) as ProposedEvent;
    try {
      await store.appendToStream(streamId, [event], {
        expectedRevision: last ? last.revision : "no_stream",
      });
      return { published: true, events: [event] };
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= maxAttempts) throw error;
    }
  }
};
