/**
 * Auditor: export a store, audit it, show that one changed byte is caught, and
 * write a short report (roll-forward and liability) for the period.
 *
 *   node --import tsx examples/auditor/main.ts [--out ./auditor-out]
 *
 * The store is a memory store holding the Online Retail club (fixtures/online-retail);
 * point `auditStore` at any EventStore (PGlite, PostgreSQL, EventStoreDB) to audit yours.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createMemoryStore } from "@vafa/adapters/memory";
import { createLedger, type EventStore, type Program, toEnvelope } from "@vafa/core";
import { type AuditReport, auditEvents, auditNdjsonFile, createLedgerProjection } from "@vafa/projections";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../fixtures/online-retail/${name}`, import.meta.url));

export const PERIOD = { from: "2010-12-01T00:00:00Z", to: "2011-04-01T00:00:00Z" };
export const AS_OF = "2011-03-31T23:59:59.999Z";

/** Imports the Online Retail slice into the store. */
export const importSlice = async (store: EventStore): Promise<Program> => {
  const program = JSON.parse(readFileSync(fixture("program.json"), "utf8")) as Program;
  const lines = readFileSync(fixture("slice-commands.ndjson"), "utf8").trimEnd().split("\n");
  const ledger = createLedger({ store, program });
  await ledger.publishProgram((JSON.parse(lines[0] as string) as { at: string }).at);
  for (const line of lines) await ledger.execute(JSON.parse(line));
  return program;
};

/** Writes every event as an envelope line, streams sorted by id, each in revision order (spec 8 export). */
export const exportStore = async (store: EventStore, path: string): Promise<number> => {
  const lines: string[] = [];
  for (const streamId of [...(await store.listStreams(""))].sort())
    for (const event of await store.readStream(streamId)) lines.push(JSON.stringify(toEnvelope(event)));
  writeFileSync(path, `${lines.join("\n")}\n`);
  return lines.length;
};

/** Audits a live store (spec 7); the program lets it re-derive earned points and tiers. */
export const auditStore = (store: EventStore, programs: Program[]): Promise<AuditReport> =>
  auditEvents(store.readAll(), { programs });

/**
 * Changes the points of the first purchase PointsEarned in an export, as a
 * fraudster editing the database would, and returns which event was changed.
 */
export const tamper = (exportPath: string, tamperedPath: string): { streamId: string; revision: number } => {
  const lines = readFileSync(exportPath, "utf8").trimEnd().split("\n");
  const index = lines.findIndex(
    (l) => l.includes('"type":"PointsEarned"') && l.includes('"reason":"purchase"'),
  );
  const event = JSON.parse(lines[index] as string) as {
    streamId: string;
    revision: number;
    data: { points: number };
  };
  lines[index] = (lines[index] as string).replace(
    `"points":${event.data.points}`,
    `"points":${event.data.points + 1}`,
  );
  writeFileSync(tamperedPath, `${lines.join("\n")}\n`);
  return { streamId: event.streamId, revision: event.revision };
};

export interface AuditorResult {
  exported: number;
  storeAudit: AuditReport;
  exportAudit: AuditReport;
  tampered: { streamId: string; revision: number };
  tamperedAudit: AuditReport;
  reportPath: string;
}

export const runAuditor = async (
  outDir: string,
  print: (line: string) => void = console.log,
): Promise<AuditorResult> => {
  mkdirSync(outDir, { recursive: true });
  const store = createMemoryStore();
  const program = await importSlice(store);

  const exportPath = join(outDir, "export.ndjson");
  const exported = await exportStore(store, exportPath);
  print(`exported ${exported} events to ${exportPath}`);

  const storeAudit = await auditStore(store, [program]);
  print(
    `audit of the store: ${storeAudit.ok ? "clean" : "FINDINGS"} (${storeAudit.streams} streams, ${storeAudit.events} events)`,
  );
  const exportAudit = await auditNdjsonFile(exportPath, { programs: [program] });
  print(`audit of the export: ${exportAudit.ok ? "clean" : "FINDINGS"} (${exportAudit.events} events)`);

  const tamperedPath = join(outDir, "export-tampered.ndjson");
  const tampered = tamper(exportPath, tamperedPath);
  const tamperedAudit = await auditNdjsonFile(tamperedPath, { programs: [program] });
  print(`audit of a copy with one changed number (${tampered.streamId} revision ${tampered.revision}):`);
  for (const f of tamperedAudit.findings) print(`  ${f.code} ${f.streamId}@${f.revision}: ${f.message}`);

  const projection = createLedgerProjection({ program });
  for await (const event of store.readAll()) projection.apply(event);
  await store.close();
  const rf = projection.rollforward(PERIOD.from, PERIOD.to);
  const liability = projection.liabilityAsOf(AS_OF);
  const report = [
    `# Loyalty points: auditor's report`,
    "",
    `Program ${program.programId} v${program.version} (${program.currency}). Audit: ${storeAudit.ok ? "clean" : `${storeAudit.findings.length} findings`}, ${storeAudit.streams} streams, ${storeAudit.events} events.`,
    "",
    `## Roll-forward ${PERIOD.from} to ${PERIOD.to} (points)`,
    "",
    "| opening | earned | redeemed | reversed | expired | clawed back | debited | closing |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
    `| ${rf.opening} | ${rf.earned} | ${rf.redeemed} | ${rf.reversed} | ${rf.expired} | ${rf.clawedBack} | ${rf.debited} | ${rf.closing} |`,
    "",
    `## Liability as of ${AS_OF}`,
    "",
    `Outstanding ${liability.points} points worth ${liability.value} ${program.currency}; member debt ${liability.debt} points.`,
    "",
    "| expires in | points | value |",
    "|---|---:|---:|",
    ...Object.entries(liability.buckets).map(([bucket, b]) => `| ${bucket} | ${b.points} | ${b.value} |`),
    "",
  ].join("\n");
  const reportPath = join(outDir, "report.md");
  writeFileSync(reportPath, report);
  print(`wrote ${reportPath}`);
  return { exported, storeAudit, exportAudit, tampered, tamperedAudit, reportPath };
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { out: { type: "string", default: "./auditor-out" } } });
  await runAuditor(values.out);
}
