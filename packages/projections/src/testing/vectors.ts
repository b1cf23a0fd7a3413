import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { EventEnvelope } from "@vafa/core";

export const VECTOR_SETS = ["gregorian", "jalali"] as const;
export type VectorSet = (typeof VECTOR_SETS)[number];

/** As-of time and period of each vector set (fixtures/vectors/README.md). */
export const VECTOR_TIMES: Record<VectorSet, { asOf: string; from: string; to: string }> = {
  gregorian: { asOf: "2011-05-15T00:00:00Z", from: "2011-03-01T00:00:00Z", to: "2011-06-01T00:00:00Z" },
  jalali: { asOf: "2012-04-01T00:00:00Z", from: "2012-02-20T00:00:00Z", to: "2012-04-20T00:00:00Z" },
};

/** The club-v1 vectors (fixtures/vectors/club-*): keys are `testDataKey(memberId)`, destroyed for forgotten members. */
export const CLUB_VECTOR_SETS = ["club-gregorian", "club-jalali"] as const;
export type ClubVectorSet = (typeof CLUB_VECTOR_SETS)[number];

/** As of T; KPI period [from, to); outbox (since, T]. */
export const CLUB_VECTOR_TIMES = {
  asOf: "2011-05-01T00:00:00Z",
  from: "2011-01-01T00:00:00Z",
  to: "2011-05-01T00:00:00Z",
  since: "2010-12-31T00:00:00Z",
} as const;

export const vectorPath = (set: VectorSet | ClubVectorSet, file: string): string =>
  fileURLToPath(new URL(`../../../../fixtures/vectors/${set}/${file}`, import.meta.url));

export const vectorEvents = (set: VectorSet | ClubVectorSet): EventEnvelope[] =>
  readFileSync(vectorPath(set, "expected-events.ndjson"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as EventEnvelope);

export const vectorJson = <T>(set: VectorSet | ClubVectorSet, file: string): T =>
  JSON.parse(readFileSync(vectorPath(set, file), "utf8")) as T;
