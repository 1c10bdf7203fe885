// Prints the rows of Parquet files as DuckDB reads them, one JSON line per file:
//   {"file": "...", "rows": [...], "chunks": [...]}   or   {"file": "...", "error": "..."}
// "chunks" lists each column chunk as DuckDB sees it: row group, path, codec, encodings and statistics.
// Values are normalised so the C# tests can compare them with what the checkpoint reader returns (CheckpointJson.cs):
// BIGINT and other 64-bit integers -> decimal strings, DECIMAL -> unscaled integer string, DATE -> days,
// TIMESTAMP (any unit) -> microseconds as a string, BLOB -> base64, MAP -> [{key, value}] in file order,
// non-finite floats -> "NaN" / "Infinity" / "-Infinity".
// Usage: node parquet-to-json.mjs FILE...
import {
  DuckDBInstance, DuckDBMapValue, DuckDBStructValue, DuckDBListValue, DuckDBBlobValue, DuckDBDecimalValue,
  DuckDBDateValue, DuckDBTimestampValue, DuckDBTimestampTZValue, DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue, DuckDBTimestampSecondsValue,
} from '@duckdb/node-api';

function normalise(v) {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'bigint': return v.toString();
    case 'number': return Number.isFinite(v) ? (Object.is(v, -0) ? 0 : v) : String(v);
    case 'boolean':
    case 'string': return v;
  }
  if (v instanceof DuckDBMapValue) return v.entries.map(e => ({ key: normalise(e.key), value: normalise(e.value) }));
  if (v instanceof DuckDBStructValue) return Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, normalise(x)]));
  if (v instanceof DuckDBListValue) return v.items.map(normalise);
  if (v instanceof DuckDBBlobValue) return Buffer.from(v.bytes).toString('base64');
  if (v instanceof DuckDBDecimalValue) return v.value.toString();
  if (v instanceof DuckDBDateValue) return v.days;
  if (v instanceof DuckDBTimestampValue || v instanceof DuckDBTimestampTZValue) return v.micros.toString();
  if (v instanceof DuckDBTimestampMillisecondsValue) return (v.millis * 1000n).toString();
  if (v instanceof DuckDBTimestampSecondsValue) return (v.seconds * 1000000n).toString();
  if (v instanceof DuckDBTimestampNanosecondsValue) return (v.nanos / 1000n).toString();
  throw new Error(`no normalisation for ${v.constructor?.name ?? typeof v}`);
}

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
for (const file of process.argv.slice(2)) {
  let line;
  try {
    const literal = `'${file.replaceAll("'", "''")}'`;
    const result = await connection.runAndReadAll(`SELECT * FROM read_parquet(${literal}, binary_as_string = false, hive_partitioning = false)`);
    const names = result.columnNames();
    const rows = result.getRows().map(row => Object.fromEntries(row.map((v, i) => [names[i], normalise(v)])));
    const meta = await connection.runAndReadAll(
      `SELECT row_group_id, path_in_schema, compression, encodings, stats_min_value, stats_max_value, stats_null_count
       FROM parquet_metadata(${literal}) ORDER BY row_group_id, column_id`);
    const chunks = meta.getRowObjects().map(c => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, normalise(v)])));
    line = { file, rows, chunks };
  } catch (e) {
    line = { file, error: String(e?.message ?? e) };
  }
  process.stdout.write(JSON.stringify(line) + '\n');
}
