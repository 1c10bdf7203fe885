// Writes Parquet files with DuckDB, so the checkpoint reader is also tested on a second writer's output (multi-part
// checkpoints, columns of unexpected types). Arguments come in triples; prints nothing on success.
// Usage: node duckdb-write.mjs OUT.parquet "COPY OPTIONS" "SELECT ..." [OUT2 OPTIONS2 SELECT2 ...]
import { DuckDBInstance } from '@duckdb/node-api';

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 3 !== 0) {
  console.error('usage: node duckdb-write.mjs OUT.parquet "COPY OPTIONS" "SELECT ..." ...');
  process.exit(2);
}
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
for (let i = 0; i < args.length; i += 3) {
  const [out, options, select] = args.slice(i, i + 3);
  await connection.run(`COPY (${select}) TO '${out.replaceAll("'", "''")}' (FORMAT parquet, ${options})`);
}
