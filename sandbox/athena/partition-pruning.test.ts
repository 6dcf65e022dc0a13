// Partition pruning only when the query text proves the restriction; otherwise every partition.
import { restrictedPartitionValues } from './partition-pruning';

it.each([
  ["SELECT * FROM t WHERE dt = '2026-11-23-04-00'", ['2026-11-23-04-00']],
  ["SELECT * FROM t WHERE is_latest AND (dt = '2026-11-23-04-00') ORDER BY key", ['2026-11-23-04-00']],
  ["SELECT * FROM t x WHERE '2026-11-23-04-00' = x.dt AND size > 5", ['2026-11-23-04-00']],
  ["SELECT * FROM t WHERE \"dt\" IN ('a', 'b') GROUP BY 1", ['a', 'b']],
])('restricts %j', (sql, values) => {
  expect(restrictedPartitionValues(sql, 'dt')).toEqual(values);
});

it.each([
  "SELECT * FROM t WHERE dt = 'a' OR size > 5",
  "SELECT * FROM t WHERE size > 5 AND (dt = 'a' OR dt = 'b')",
  'SELECT * FROM t WHERE dt = (SELECT max(dt) FROM t)',
  "SELECT * FROM t WHERE size BETWEEN 1 AND 2 AND dt = 'a'",
  "SELECT * FROM t WHERE key = 'dt = ''a'''",
  "SELECT * FROM t WHERE dt >= 'a'",
  'SELECT * FROM t',
])('loads every partition for %j', (sql) => {
  expect(restrictedPartitionValues(sql, 'dt')).toBeUndefined();
});
