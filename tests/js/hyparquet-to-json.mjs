// Prints the rows of Parquet files as hyparquet reads them, one JSON line per file, normalised exactly like
// parquet-to-json.mjs (DuckDB) except that MAP entries are sorted by key: hyparquet returns maps as plain
// objects, whose key order JavaScript does not keep. The walk follows hyparquet's own schema tree so that
// maps, lists, binaries, decimals and temporal types are told apart.
// Usage: node hyparquet-to-json.mjs FILE...
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';

// Keep temporal values raw (hyparquet would make millisecond Dates of them) and JSON as text.
class Micros { constructor(value) { this.value = value; } }
class Days { constructor(value) { this.value = value; } }
const decoder = new TextDecoder();
const parsers = {
  timestampFromMilliseconds: v => new Micros(BigInt(v) * 1000n),
  timestampFromMicroseconds: v => new Micros(BigInt(v)),
  timestampFromNanoseconds: v => new Micros(BigInt(v) / 1000n),
  dateFromDays: v => new Days(v),
  jsonFromBytes: b => b && decoder.decode(b),
};

// hyparquet reads SNAPPY itself; GZIP comes from node's zlib (hyparquet's own add-on package is not needed).
const compressors = { GZIP: input => new Uint8Array(gunzipSync(input)) };

const isMap = node => ['MAP', 'MAP_KEY_VALUE'].includes(node.element.converted_type)
  && node.children.length === 1 && node.children[0].children.length === 2;
const isList = node => node.element.converted_type === 'LIST' && node.children.length === 1;

function number(x) {
  return Number.isFinite(x) ? (Object.is(x, -0) ? 0 : x) : String(x);
}

function leaf(node, v) {
  const { type, converted_type: converted, scale = 0 } = node.element;
  if (v instanceof Micros) return v.value.toString();
  if (v instanceof Days) return v.value;
  if (converted === 'DECIMAL') return BigInt(Math.round(Number(v) * 10 ** scale)).toString();
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return type === 'INT64' ? String(v) : number(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return v;
}

function normalise(node, v) {
  // A bare repeated field with no occurrences is empty, never null; hyparquet leaves it null.
  if (v == null && node.element.repetition_type === 'REPEATED') return [];
  if (v === null || v === undefined) return null;
  if (node.children.length === 0) return leaf(node, v);
  if (isMap(node)) {
    const [keyNode, valueNode] = node.children[0].children;
    const entries = Object.entries(v).map(([k, x]) => ({ key: mapKey(keyNode, k), value: normalise(valueNode, x) }));
    return entries.sort((a, b) => compareKeys(a.key, b.key));
  }
  if (isList(node)) {
    const repeated = node.children[0];
    const element = repeated.children.length === 1 ? repeated.children[0] : repeated;
    return Array.from(v, x => normalise(element, x));
  }
  return Object.fromEntries(node.children.map(c => [c.element.name, normalise(c, v[c.element.name])]));
}

// Object keys come back as strings; give numeric keys their normalised type again.
function mapKey(node, k) {
  switch (node.element.type) {
    case 'INT32': case 'FLOAT': case 'DOUBLE': return number(Number(k));
    case 'BOOLEAN': return k === 'true';
    default: return k;
  }
}

function compareKeys(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

for (const path of process.argv.slice(2)) {
  let line;
  try {
    const bytes = await readFile(path);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const metadata = parquetMetadata(file);
    const schema = parquetSchema(metadata);
    const rows = await parquetReadObjects({ file, metadata, parsers, compressors, utf8: false });
    line = { file: path, rows: rows.map(row => Object.fromEntries(schema.children.map(c => [c.element.name, normalise(c, row[c.element.name])]))) };
  } catch (e) {
    line = { file: path, error: String(e?.message ?? e) };
  }
  process.stdout.write(JSON.stringify(line, (k, v) => typeof v === 'bigint' ? v.toString() : v) + '\n');
}
