import { writeFileSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import { AS_OF, BENCH_PROGRAM } from "../lib/program.js";
import { type RfmLike, rfmDigest } from "../lib/rfm-digest.js";
import { rfmSql } from "../lib/rfm-sql.js";
import { arg, finish, round, seconds } from "../lib/task.js";

// DuckDB computing spec 6 RFM from the same NDJSON, in the same run: the reference time.

const path = arg("events");
const rfmOut = arg("rfm-out");
const t0 = performance.now();
const instance = await DuckDBInstance.create(":memory:");
const connection = await instance.connect();
const reader = await connection.runAndReadAll(rfmSql(path, AS_OF, BENCH_PROGRAM.rfm.windowDays));
const raw = reader.getRowObjectsJS();
const s = seconds(t0);
/** DECIMAL text as spec money: no trailing zeros, no exponent. */
const money = (text: string): string =>
  text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
const rows: RfmLike[] = raw.map((r) => ({
  memberId: String(r.memberId),
  recencyDays: Number(r.recencyDays),
  frequency: Number(r.frequency),
  monetary: money(String(r.monetary)),
  r: Number(r.r),
  f: Number(r.f),
  m: Number(r.m),
}));
writeFileSync(rfmOut, JSON.stringify(rows));
finish({ seconds: round(s, 2), rfmRows: rows.length, rfmDigest: rfmDigest(rows) });
