// `npm run bench`: measures what the kit costs and prints it, then records it in
// docs/benchmarks.md. Numbers only; nothing here passes or fails. Every load is sent to
// 127.0.0.1 and is bounded in count and time.
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { startStack } from '../tests/support.mjs';
import { launchBrowser } from '../tests/browser.mjs';
import { build } from './build.mjs';
import { assetsDir, root, say, workerDir } from './lib.mjs';
import { setup } from './setup.mjs';

const REQUESTS = 2_000;
const CONCURRENCY = 8;
const TIME_LIMIT_MS = 60_000;
const PAGE_LOADS = 10;

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

function sizeRow(label, path) {
  const bytes = readFileSync(path);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { label, raw: bytes.length, gzip, brotli };
}

function sizes() {
  const hashed = readdirSync(join(assetsDir, 'w'));
  const rows = [
    sizeRow('loader `portevoix.js`', join(assetsDir, 'portevoix.js')),
    sizeRow('widgets JS glue', join(assetsDir, 'w', hashed.find((name) => name.endsWith('.js')))),
    sizeRow('widgets Wasm', join(assetsDir, 'w', hashed.find((name) => name.endsWith('.wasm')))),
  ];
  const total = rows.reduce((sum, row) => ({ raw: sum.raw + row.raw, gzip: sum.gzip + row.gzip, brotli: sum.brotli + row.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  rows.push({ label: '**a page with `<pv-nps>` pays**', ...total });
  rows.push(sizeRow('worker Wasm (deployed, not downloaded by visitors)', join(workerDir, 'build', 'index_bg.wasm')));
  return rows;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Sends up to REQUESTS requests with CONCURRENCY in flight, for at most TIME_LIMIT_MS. */
async function load(label, makeRequest) {
  const latencies = [];
  let failures = 0;
  let issued = 0;
  const started = performance.now();
  const deadline = started + TIME_LIMIT_MS;
  async function lane() {
    while (issued < REQUESTS && performance.now() < deadline) {
      issued++;
      const begin = performance.now();
      const response = await makeRequest();
      await response.arrayBuffer();
      latencies.push(performance.now() - begin);
      if (!response.ok) failures++;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { label, requests: latencies.length, failures, rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function workerLoad(stack) {
  const origin = { origin: stack.demoOrigin };
  return [
    await load('GET /v1/sites/{site}/config', () => fetch(`${stack.api}/config`, { headers: origin })),
    await load('POST /v1/sites/{site}/nps', () =>
      fetch(`${stack.api}/nps`, {
        method: 'POST',
        headers: { ...origin, 'content-type': 'application/json' },
        body: JSON.stringify({ score: 9, comment: 'bench', visitor_id: randomUUID(), idempotency_key: randomUUID() }),
      })),
    await load('GET /v1/sites/{site}/nps/summary', () =>
      fetch(`${stack.api}/nps/summary`, { headers: { authorization: `Bearer ${stack.adminToken}` } })),
  ];
}

/** Navigation start to `pv:ready`, on a fresh context each time (nothing cached). */
async function widgetTiming(stack) {
  const browser = await launchBrowser();
  const timings = [];
  try {
    for (let run = 0; run < PAGE_LOADS; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(() => {
        document.addEventListener('pv:ready', () => (window.pvReadyAt = performance.now()), { once: true });
      });
      await page.goto(`${stack.demoOrigin}/`);
      await page.waitForFunction(() => window.pvReadyAt !== undefined);
      timings.push(await page.evaluate(() => window.pvReadyAt));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  timings.sort((a, b) => a - b);
  return { loads: timings.length, p50: percentile(timings, 50), max: timings[timings.length - 1] };
}

await setup({ browser: true });
await build();
const sizeRows = sizes();
say('starting a local stack for the load and browser figures');
const stack = await startStack();
let loadRows;
let widget;
try {
  loadRows = await workerLoad(stack);
  widget = await widgetTiming(stack);
} finally {
  await stack.stop();
}

const when = new Date().toISOString().slice(0, 10);
const report = `# Benchmarks

Recorded by \`npm run bench\` on ${when} (${process.platform}, ${process.arch}, Node ${process.version}).
Sizes are deterministic for a given build; times depend on the machine and are shown for
comparison between runs on the same machine, never asserted by tests.

## Transfer size

| file | raw | gzip | brotli |
|---|---:|---:|---:|
${sizeRows.map((row) => `| ${row.label} | ${kb(row.raw)} | ${kb(row.gzip)} | ${kb(row.brotli)} |`).join('\n')}

## Worker on local workerd (loopback, ${CONCURRENCY} concurrent, at most ${REQUESTS} requests or ${TIME_LIMIT_MS / 1000} s per route)

| route | requests | failures | req/s | p50 | p99 |
|---|---:|---:|---:|---:|---:|
${loadRows.map((row) => `| ${row.label} | ${row.requests} | ${row.failures} | ${row.rps.toFixed(0)} | ${row.p50.toFixed(1)} ms | ${row.p99.toFixed(1)} ms |`).join('\n')}

Local workerd runs the same code as Cloudflare's edge but with SQLite on this disk for D1;
these figures compare builds, they do not predict production latency.

## Widget in headless Chromium (demo page, cold cache, no throttling)

Navigation start to \`pv:ready\` (configuration fetched, survey drawn), ${widget.loads} loads:
p50 ${widget.p50.toFixed(0)} ms, max ${widget.max.toFixed(0)} ms.
`;
writeFileSync(join(root, 'docs', 'benchmarks.md'), report);
console.log(`\n${report}`);
say('written to docs/benchmarks.md');
