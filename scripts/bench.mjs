// `npm run bench`: measures what the kit costs and prints it, then records it in
// docs/benchmarks.md. Numbers only; nothing here passes or fails. Every load is sent to
// 127.0.0.1 and is bounded in count and time.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { startStack } from '../tests/support.mjs';
import { launchBrowser } from '../tests/browser.mjs';
import { build } from './build.mjs';
import { assetsDir, root, say, workerDir } from './lib.mjs';
import { setup } from './setup.mjs';

const DURATION_S = 60;
const CONNECTIONS = 64;
const PAGE_LOADS = 10;

const execFileAsync = promisify(execFile);
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
  rows.push({ label: '**a page with any widgets pays (all five share one module)**', ...total });
  rows.push(sizeRow('worker Wasm (deployed, not downloaded by visitors)', join(workerDir, 'build', 'index_bg.wasm')));
  return rows;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** wrk for DURATION_S at CONNECTIONS connections against one route; loopback only. */
async function load(label, url, env) {
  const { stdout } = await execFileAsync(
    'wrk',
    ['-t2', `-c${CONNECTIONS}`, `-d${DURATION_S}s`, '--timeout', '10s', '-s', join(root, 'scripts', 'bench', 'wrk.lua'), url],
    { env: { ...process.env, ...env }, maxBuffer: 1 << 20 },
  );
  const result = JSON.parse(stdout.split('\n').find((line) => line.startsWith('PV_RESULT ')).slice('PV_RESULT '.length));
  const ok = Object.entries(result.statuses).filter(([status]) => status < 300).reduce((sum, [, count]) => sum + count, 0);
  const limited = result.statuses['429'] ?? 0;
  const others = Object.entries(result.statuses).filter(([status]) => status >= 300 && status !== '429');
  if (result.socket_errors) others.push(['socket', result.socket_errors]);
  return {
    label,
    requests: result.requests,
    rps: result.requests / result.seconds,
    ok,
    limited,
    otherErrors: others.length ? others.map(([status, count]) => `${count} × ${status}`).join(', ') : '0',
    p50: result.p50,
    p99: result.p99,
  };
}

async function workerLoad(stack) {
  const origin = { PV_ORIGIN: stack.demoOrigin };
  return [
    await load('GET /v1/sites/{site}/config', `${stack.api}/config`, { ...origin, PV_MODE: 'get' }),
    await load('POST /v1/sites/{site}/nps', `${stack.api}/nps`, { ...origin, PV_MODE: 'post' }),
    await load('GET /v1/sites/{site}/nps/summary', `${stack.api}/nps/summary`, {
      ...origin,
      PV_MODE: 'get',
      PV_AUTHORIZATION: `Bearer ${stack.adminToken}`,
    }),
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

await setup({ browser: true, load: true });
await build();
const sizeRows = sizes();
say('starting a local stack for the load and browser figures');
const stack = await startStack();
let loadRows;
let widget;
try {
  // The browser figures first: the load test leaves this address rate limited for a minute.
  widget = await widgetTiming(stack);
  loadRows = await workerLoad(stack);
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

## Worker on local workerd (wrk, loopback, ${CONNECTIONS} connections for ${DURATION_S} s per route)

| route | requests | req/s | 2xx | 429 (rate limited) | other errors | p50 | p99 |
|---|---:|---:|---:|---:|---:|---:|---:|
${loadRows.map((row) => `| ${row.label} | ${row.requests} | ${row.rps.toFixed(0)} | ${row.ok} | ${row.limited} | ${row.otherErrors} | ${row.p50.toFixed(1)} ms | ${row.p99.toFixed(1)} ms |`).join('\n')}

Every request comes from one address, so the per-address rate limits (see
\`worker/wrangler.toml\`) answer most of them with 429, as they would a real flood; "other
errors" must stay 0. Local workerd runs the same code as Cloudflare's edge but with SQLite
on this disk for D1: these figures compare builds, they do not predict production latency.

## Widget in headless Chromium (demo page, cold cache, no throttling)

Navigation start to the first \`pv:ready\` (a widget's configuration fetched and drawn; the demo page holds all five), ${widget.loads} loads:
p50 ${widget.p50.toFixed(0)} ms, max ${widget.max.toFixed(0)} ms.
`;
writeFileSync(join(root, 'docs', 'benchmarks.md'), report);
console.log(`\n${report}`);
say('written to docs/benchmarks.md');
