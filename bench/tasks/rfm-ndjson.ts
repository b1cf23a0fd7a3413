import { createLedgerProjection, RFM_EVENT_TYPES, rebuildFromNdjson } from "@vafa/projections";
import { AS_OF } from "../lib/program.js";
import { rfmDigest } from "../lib/rfm-digest.js";
import { arg, finish, round, seconds } from "../lib/task.js";

// RFM end to end from the NDJSON export, as `vafa rfm --events` can answer it:
// only the lines naming an event RFM reads are parsed (RFM_EVENT_TYPES).
const path = arg("events");
const t0 = performance.now();
const projection = createLedgerProjection({ keepHistory: false });
await rebuildFromNdjson(path, projection, { types: RFM_EVENT_TYPES });
const rfm = projection.rfmAsOf(AS_OF);
finish({ seconds: round(seconds(t0), 2), rfmRows: rfm.length, rfmDigest: rfmDigest(rfm) });
