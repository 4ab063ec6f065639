// `npm run bench`'s CPU rig: the built worker (its Wasm and JS glue, as deployed) run in
// Node.js's V8, its D1 binding answered by SQLite in this process, and the CPU time per
// request of the worker alone: the process's CPU time less the time SQLite took, which on
// Cloudflare is D1's, not the worker's. workerd cannot say this (its local D1 runs in the
// worker's own process, and a worker's clock advances only between I/O).
// Run by bench.mjs with a Node.js that compiles the worker's Wasm:
//   node --experimental-wasm-exnref worker-cpu.mjs DATABASE_FILE PAGE_ORIGIN
// Prints one JSON line: { node, requests, routes: [{ route, cpuMs, sqliteMs }] }.
import { randomUUID } from 'node:crypto';
import { register } from 'node:module';
import { DatabaseSync } from 'node:sqlite';

const [databaseFile, pageOrigin] = process.argv.slice(2);
const WARM_UP = 300;
const REQUESTS = 3_000;

const database = new DatabaseSync(databaseFile);
// No fsync: D1's durability is not the worker's CPU, and without it SQLite's time, read
// from the clock around each call, is all CPU.
database.exec('PRAGMA synchronous = OFF');
const changes = database.prepare('SELECT changes() AS changes, last_insert_rowid() AS last_row_id');
let sqliteNs = 0n;
const timed = (work) => {
  const started = process.hrtime.bigint();
  try {
    return work();
  } finally {
    sqliteNs += process.hrtime.bigint() - started;
  }
};
const sqlValue = (value) => (value === true ? 1 : value === false ? 0 : value ?? null);

// workers-rs checks a binding's class name before it uses it, hence these names.
class D1PreparedStatement {
  constructor(sql, params = []) {
    this.sql = sql;
    this.params = params;
  }
  bind(...params) {
    return new D1PreparedStatement(this.sql, params.map(sqlValue));
  }
  execute() {
    const results = database.prepare(this.sql).all(...this.params);
    return { results, success: true, meta: changes.get() };
  }
  async all() {
    return timed(() => this.execute());
  }
  async run() {
    return timed(() => this.execute());
  }
  async first(column) {
    const row = timed(() => this.execute()).results[0] ?? null;
    return column ? (row?.[column] ?? null) : row;
  }
  async raw() {
    return timed(() => this.execute()).results.map((row) => Object.values(row));
  }
}
class D1Database {
  prepare(sql) {
    return new D1PreparedStatement(sql);
  }
  async batch(statements) {
    return timed(() => {
      database.exec('BEGIN');
      try {
        const results = statements.map((statement) => statement.execute());
        database.exec('COMMIT');
        return results;
      } catch (error) {
        database.exec('ROLLBACK');
        throw error;
      }
    });
  }
}
// Every request passes: the limits' own work is Cloudflare's, at the edge.
class Ratelimit {
  async limit() {
    return { success: true };
  }
}

const env = {
  DB: new D1Database(),
  LIMIT_VISITOR_WRITES: new Ratelimit(),
  LIMIT_CLIENT_WRITES: new Ratelimit(),
  LIMIT_SITE_WRITES: new Ratelimit(),
  LIMIT_CLIENT_READS: new Ratelimit(),
  ASSETS: { fetch: async () => new Response(null, { status: 404 }) },
  TURNSTILE_VERIFY_URL: 'http://127.0.0.1:9/siteverify',
};
register(new URL('./worker-hooks.mjs', import.meta.url));
// The shim listens for the runtime's error events (to restart the Wasm after a crash);
// Node.js has no such global, and none is sent here.
globalThis.addEventListener = () => {};
const { default: Worker } = await import(new URL('../../worker/build/index.js', import.meta.url).href);
const worker = new Worker({ waitUntil() {}, passThroughOnException() {} }, env);

const api = 'https://portevoix.example/v1/sites/cairn';
const visitorWrite = (body) => ({
  method: 'POST',
  headers: { origin: pageOrigin, 'content-type': 'application/json', 'cf-connecting-ip': '192.0.2.1' },
  body: JSON.stringify({ visitor_id: `visitor-${randomUUID()}`, idempotency_key: randomUUID(), elapsed_ms: 9_000, ...body }),
});
const routes = [
  ['GET /v1/sites/{site}/config', () => new Request(`${api}/config`, { headers: { origin: pageOrigin } })],
  ['GET …/products/{product}/reviews', () => new Request(`${api}/products/bivouac-2/reviews`, { headers: { origin: pageOrigin } })],
  ['GET …/products/{product}/questions', () => new Request(`${api}/products/bivouac-2/questions`, { headers: { origin: pageOrigin } })],
  ['POST /v1/sites/{site}/nps', () => new Request(`${api}/nps`, visitorWrite({ score: 9, comment: 'Tente parfaite', page_url: `${pageOrigin}/` }))],
];

const figures = [];
for (const [route, request] of routes) {
  const first = await worker.fetch(request());
  if (!first.ok) throw new Error(`${route} answered ${first.status}: ${await first.text()}`);
  for (let index = 0; index < WARM_UP; index++) await (await worker.fetch(request())).arrayBuffer();
  sqliteNs = 0n;
  const before = process.cpuUsage();
  for (let index = 0; index < REQUESTS; index++) await (await worker.fetch(request())).arrayBuffer();
  const used = process.cpuUsage(before);
  const sqliteMs = Number(sqliteNs) / 1e6;
  figures.push({ route, cpuMs: ((used.user + used.system) / 1000 - sqliteMs) / REQUESTS, sqliteMs: sqliteMs / REQUESTS });
}
console.log(JSON.stringify({ node: process.version, requests: REQUESTS, routes: figures }));
