/**
 * Sets `key` as the newest entry of `map` and drops the oldest entries beyond
 * `limit`, so a long-running ledger (an HTTP server) holds a bounded amount.
 * A Map iterates in insertion order: delete then set makes the key newest.
 */
export const setBounded = <K, V>(map: Map<K, V>, key: K, value: V, limit: number): void => {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= limit) break;
    map.delete(oldest);
  }
};
