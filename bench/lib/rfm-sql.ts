/**
 * Spec 6 RFM as of T in DuckDB SQL, from an NDJSON export. Purchases count when
 * their net amount (amount - refunds up to T) is positive; recency from the
 * last such purchase; frequency and monetary over (T - windowDays, T]. Scores
 * `1 + floor(5 * worse / n)`: `rank() - 1` over the "worse first" order is the
 * count of strictly worse values, so ties share a score.
 * ISO times in the export all have the `toISOString()` form, so they compare as strings.
 */
export const rfmSql = (path: string, asOf: string, windowDays: number): string => {
  const file = path.replace(/'/g, "''");
  return `
WITH ev AS (
  SELECT streamId, type, occurredAt, data.purchaseId AS purchaseId, CAST(data.amount AS DECIMAL(38, 8)) AS amount
  FROM read_json('${file}', format = 'newline_delimited',
    columns = {streamId: 'VARCHAR', type: 'VARCHAR', occurredAt: 'VARCHAR',
               data: 'STRUCT(purchaseId VARCHAR, amount VARCHAR)'})
  WHERE type IN ('PurchaseRecorded', 'PurchaseRefunded') AND occurredAt <= '${asOf}'
),
refunds AS (
  SELECT streamId, purchaseId, sum(amount) AS refunded FROM ev WHERE type = 'PurchaseRefunded' GROUP BY ALL
),
purchases AS (
  SELECT p.streamId, p.occurredAt, p.amount - coalesce(r.refunded, 0) AS net
  FROM ev p LEFT JOIN refunds r USING (streamId, purchaseId)
  WHERE p.type = 'PurchaseRecorded'
),
members AS (
  SELECT substr(streamId, 8) AS memberId,
    CAST(floor((epoch_ms(TIMESTAMPTZ '${asOf}') - epoch_ms(CAST(max(occurredAt) AS TIMESTAMPTZ))) / 86400000) AS BIGINT) AS recencyDays,
    count(*) FILTER (WHERE CAST(occurredAt AS TIMESTAMPTZ) > TIMESTAMPTZ '${asOf}' - INTERVAL ${windowDays} DAY) AS frequency,
    coalesce(sum(net) FILTER (WHERE CAST(occurredAt AS TIMESTAMPTZ) > TIMESTAMPTZ '${asOf}' - INTERVAL ${windowDays} DAY), 0) AS monetary
  FROM purchases WHERE net > 0 GROUP BY streamId
)
SELECT memberId, recencyDays, frequency, CAST(monetary AS VARCHAR) AS monetary,
  1 + (5 * (rank() OVER (ORDER BY recencyDays DESC) - 1)) // count(*) OVER () AS r,
  1 + (5 * (rank() OVER (ORDER BY frequency ASC) - 1)) // count(*) OVER () AS f,
  1 + (5 * (rank() OVER (ORDER BY monetary ASC) - 1)) // count(*) OVER () AS m
FROM members ORDER BY memberId`;
};
