import { type EventSourceOptions, sourceEvents } from "../event-source.js";
import { type CliIo, writeOut } from "../io.js";
import { openOutput } from "../output-file.js";
import { type ReportLang, renderReport } from "../report/index.js";
import { buildReportData, projectEvents } from "../report-data.js";
import { auditSource } from "./audit.js";

export interface ReportCommandOptions extends EventSourceOptions {
  /** Normalised ISO time. */
  asOf: string;
  out: string;
  lang: ReportLang;
}

/** `vafa report` (spec 8): one self-contained HTML file from the projections and the audit of the same events. */
export const runReport = async (options: ReportCommandOptions, io: CliIo): Promise<number> => {
  // Opened first so a bad --out path fails before any work.
  const output = await openOutput(options.out, io);
  const projected = await projectEvents(sourceEvents(options));
  const audit = await auditSource({ store: options.store, events: options.events, programs: [] });
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
    `wrote ${options.out} (${data.balances.length} members, audit ${audit.ok ? "clean" : `${audit.findings.length} findings`})\n`,
  );
  return 0;
};
