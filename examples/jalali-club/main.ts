/**
 * A club priced in Iranian rials on the Jalali (Solar Hijri) calendar.
 *
 *   node --import tsx examples/jalali-club/main.ts
 *
 * - amounts in billions of rials, 1 point per 100 000 IRR, rounded half-up;
 * - a ×2 Nowruz campaign (1 to 13 Farvardin);
 * - a member born on 30 Esfand: paid on 29 Esfand in common years (1402) and
 *   on 30 Esfand in leap years (1403);
 * - points expire at the end of the Jalali year they were earned in (1 Farvardin).
 * Dates are printed in the Jalali calendar; every computation is on UTC instants.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { UTCDate } from "@date-fns/utc";
import { createMemoryStore } from "@vafa/adapters/memory";
import { type Command, createLedger, type Program, type StoredEvent } from "@vafa/core";
import { createLedgerProjection } from "@vafa/projections";
import { format, newDate } from "date-fns-jalali";

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

const DAY_MS = 86_400_000;

/**
 * A Jalali date (1-based month) as the instant 00:00 UTC of that day.
 * date-fns-jalali's `newDate` builds local midnight; rounding to whole UTC days
 * removes the zone offset (any offset under 12 hours), so `TZ` does not matter.
 */
export const jalaliDay = (year: number, month: number, day: number): string =>
  new Date(Math.round(newDate(year, month - 1, day).getTime() / DAY_MS) * DAY_MS).toISOString();

/** An instant written as a Jalali date and UTC time, e.g. `1403/01/05 06:30`. */
export const jalali = (iso: string): string => format(new UTCDate(iso), "yyyy/MM/dd HH:mm");

export interface JalaliClubResult {
  events: StoredEvent[];
  lines: string[];
}

export const runJalaliClub = async (
  print: (line: string) => void = console.log,
): Promise<JalaliClubResult> => {
  const program = JSON.parse(readFileSync(here("program.json"), "utf8")) as Program;
  const commands = readFileSync(here("commands.ndjson"), "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Command);
  const store = createMemoryStore();
  const ledger = createLedger({ store, program });
  await ledger.publishProgram(commands[0]?.at ?? "1970-01-01T00:00:00Z");
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    print(line);
  };

  for (const command of commands) {
    const outcome = await ledger.execute(command);
    const who = "memberId" in command ? command.memberId : "(all members)";
    if (outcome.status === "rejected") {
      say(`${jalali(command.at)} ${command.type} ${who}: rejected ${outcome.rejection.code}`);
      continue;
    }
    for (const e of outcome.events) {
      const d = e.data as { points?: number; reason?: string; birthdayYear?: number; to?: string };
      const detail =
        e.type === "PointsEarned"
          ? `+${d.points} (${d.reason}${d.birthdayYear ? ` ${d.birthdayYear}` : ""})`
          : e.type === "PointsExpired" || e.type === "PointsRedeemed"
            ? `-${d.points}`
            : e.type === "TierChanged"
              ? `-> ${d.to}`
              : "";
      say(`${jalali(e.occurredAt)} ${e.streamId.slice("member-".length)} ${e.type} ${detail}`.trimEnd());
    }
  }

  const events: StoredEvent[] = [];
  const projection = createLedgerProjection({ program });
  for await (const e of store.readAll()) {
    events.push(e);
    projection.apply(e);
  }
  await store.close();

  // The last day of 1403 (a leap year: 30 Esfand), before and after the year-end expiry.
  for (const asOf of ["2025-03-20T23:59:59.999Z", "2025-03-21T00:00:00.000Z"]) {
    say(`balances as of ${jalali(asOf)}:`);
    for (const b of projection.balancesAsOf(asOf))
      say(
        `  ${b.memberId}: available ${b.available}, tier ${b.tier}, earned ${b.earned}, expired ${b.expired}`,
      );
  }
  // KPIs of Farvardin 1403 (the Nowruz month), a Jalali period [1 Farvardin, 1 Ordibehesht).
  const k = projection.kpis(jalaliDay(1403, 1, 1), jalaliDay(1403, 2, 1));
  say(
    `Farvardin 1403: revenue ${k.revenue} IRR, points earned ${k.pointsEarned}, redeemed ${k.pointsRedeemed}, active ${k.activeMembers}`,
  );
  const liability = projection.liabilityAsOf(jalaliDay(1403, 6, 1));
  say(`liability on 1403/06/01: ${liability.points} points worth ${liability.value} IRR`);
  return { events, lines };
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runJalaliClub();
