import type { StoredEvent } from "@vafa/core";
import { Auditor, type AuditReport } from "@vafa/projections";
import { chainCheck, type EventSourceOptions, exportLines } from "../event-source.js";
import { type CliIo, writeOut } from "../io.js";
import { openOutput } from "../output-file.js";
import { buildReportData, ReportProjection } from "../report/data.js";
import { renderReport } from "../report/render.js";
import type { ReportLang } from "../report/types.js";
import { openStore } from "../stores.js";
import { countOf } from "./audit.js";

export interface ReportCommandOptions extends EventSourceOptions {
  /** Normalised ISO time. */
  asOf: string;
  out: string;
  lang: ReportLang;
}

/**
 * One pass over the source feeds both the projection and the audit (a store
 * is opened once). In an export, a line that is not an event is an audit
 * finding and is left out of the projection, so a damaged export still gets
 * a report that shows the damage.
 */
const projectAndAudit = async (
  source: EventSourceOptions,
): Promise<{ projected: ReportProjection; audit: AuditReport }> => {
  const projected = new ReportProjection();
  const auditor = new Auditor();
  if (source.events !== undefined) {
    const check = chainCheck(source.events, source.verify);
    let position = 0n;
    for await (const line of exportLines(source.events)) {
      auditor.push(line);
      let value: unknown;
      try {
        value = JSON.parse(line.text);
      } catch {
        continue;
      }
      const e = value as Partial<StoredEvent> | null;
      if (e === null || typeof e !== "object" || typeof e.streamId !== "string" || typeof e.type !== "string")
        continue;
      check?.(line.line, e as StoredEvent);
      position += 1n;
      projected.apply({ ...(e as StoredEvent), position });
    }
  } else {
    const store = await openStore(source.store);
    try {
      for await (const event of store.readAll()) {
        auditor.push(event);
        projected.apply(event);
      }
    } finally {
      await store.close().catch(() => undefined);
    }
  }
  return { projected, audit: auditor.finish() };
};

/** `vafa report` (spec 8): one self-contained HTML file from the projections and the audit of the same events. */
export const runReport = async (options: ReportCommandOptions, io: CliIo): Promise<number> => {
  // Opened first so a bad --out path fails before any work.
  const output = await openOutput(options.out, io);
  const { projected, audit } = await projectAndAudit(options);
  const data = buildReportData({
    projected,
    audit,
    asOf: options.asOf,
    lang: options.lang,
    generatedAt: new Date().toISOString(),
  });
  const html = renderReport(data, { lang: options.lang });
  await writeOut(output.stream, html);
  await output.close();
  await writeOut(
    io.stdout,
    `wrote ${options.out} (${data.balances.length} members, audit ${audit.ok ? "clean" : countOf(audit.findings.length, "finding")})\n`,
  );
  return 0;
};
