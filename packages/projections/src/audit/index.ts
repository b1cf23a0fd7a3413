// The audit of spec 7: a pure library over events or export lines.
export { Auditor, auditEvents } from "./audit.js";
export { type DrawVerification, verifyDraw } from "./draw-verify.js";
export type { DrawProblem } from "./draws.js";
export { auditReadable, programsPublishedIn } from "./file-audit.js";
export { type HeadEvent, HeadTracker, headDigest, type StreamHead } from "./head.js";
export { auditNdjsonFile, readNdjsonLines } from "./ndjson.js";
export { auditNdjsonFileParallel, type ParallelAuditOptions } from "./parallel.js";
export type { AuditCode, AuditFinding, AuditInput, AuditLine, AuditOptions, AuditReport } from "./types.js";
export { AUDIT_CODES } from "./types.js";
