// Test support: a whole local stack per test file (a fresh D1 in a temp folder, the worker
// on workerd on a random port, the demo site on another), plus helpers to read what the
// worker stored and to sign customer tokens as a brand's server would.
import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../scripts/lib.mjs';
import { prepareDatabase, startDemoSite, startWorker } from '../scripts/local.mjs';
import { d1Query, localDatabaseFile, secret } from '../scripts/sites.mjs';

/**
 * Names a state folder with a freshly migrated D1, which `npm test` makes once for all the
 * test files: each stack copies it rather than applying the migrations again. A test file
 * run on its own migrates its database itself.
 */
export const MIGRATED_STATE_VARIABLE = 'PORTEVOIX_MIGRATED_STATE';

/**
 * `beforeWorker(target)` runs once the database is ready and before the worker starts, for
 * bulk seeding with `d1Query(sql, target)` or `openLocalDatabase(target.state)` (a second
 * process writing to the local D1 while the worker has it open can bring the worker down).
 */
export async function startStack({ beforeWorker } = {}) {
  const state = mkdtempSync(join(tmpdir(), 'portevoix-test-'));
  // The demo site takes any free port first: workerd opens ports of its own at random.
  const demo = await startDemoSite();
  const siteverify = await startFakeSiteverify();
  const demoOrigin = demo.origin;
  const adminToken = secret();
  const customerSecret = secret();
  const site = 'cairn';
  const workerLog = join(state, 'worker.log');
  let sites;
  let worker;
  try {
    sites = await prepareDatabase({ state, demoOrigin, adminToken, customerSecret, quiet: true, migrated: process.env[MIGRATED_STATE_VARIABLE] });
    if (!sites.includes(site)) throw new Error(`the demo sites lack ${site}`);
    await beforeWorker?.({ state });
    worker = await startWorker({
      port: await freePort(),
      state,
      log: workerLog,
      vars: { TURNSTILE_VERIFY_URL: siteverify.url },
    });
    demo.setWorkerOrigin(worker.origin);
    demo.setCustomerSecret(customerSecret);
    demo.setAdminToken(adminToken);
  } catch (error) {
    await Promise.all([demo.stop(), siteverify.stop()]);
    rmSync(state, { recursive: true, force: true });
    throw error;
  }
  const api = `${worker.origin}/v1/sites/${site}`;

  /** The last `lines` lines wrangler wrote: each request with its status and time. */
  const workerLogTail = (lines = 20) => {
    try {
      return readFileSync(workerLog, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch (error) {
      return `(no worker log: ${error.message})`;
    }
  };

  let reader;
  /**
   * Rows of one SQL statement read from the worker's local D1, through a read-only SQLite
   * connection kept from the first query to `stop`. Read-only because a second D1 (a
   * workerd of its own on the same file) takes the file's write lock even to read, and a
   * worker writing meanwhile fails with SQLITE_BUSY: one write in twenty under a steady
   * reader, measured. `write` is for the rare test that must change a row itself.
   */
  async function query(sql) {
    if (!reader) {
      // Imported here: `npm run bench` loads this module before its set-up installs packages.
      const { default: Database } = await import('better-sqlite3');
      reader ??= new Database(localDatabaseFile(state), { readonly: true, fileMustExist: true });
    }
    return reader.prepare(sql).all();
  }

  /** Rows of one writing SQL statement, through D1 as `wrangler d1 execute` runs it. */
  const write = (sql) => d1Query(sql, { state });

  /** The NPS summary, read with the admin token. */
  async function summary(queryString = '') {
    const response = await fetch(`${api}/nps/summary${queryString}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    if (!response.ok) throw new Error(`summary answered ${response.status}`);
    return response.json();
  }

  /**
   * A customer token signed with the site secret, as a brand's server makes it; `orders`
   * ([{ id, products }]) makes reviews of those products verified purchases.
   */
  function customerToken(sub, expiresInSeconds = 3600, signingSecret = customerSecret, orders = []) {
    const claims = { sub, exp: Math.floor(Date.now() / 1000) + expiresInSeconds, orders };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const signature = createHmac('sha256', signingSecret).update(`v1.${payload}`).digest('base64url');
    return `v1.${payload}.${signature}`;
  }

  async function stop() {
    reader?.close();
    await Promise.all([worker.stop(), demo.stop(), siteverify.stop()]);
    rmSync(state, { recursive: true, force: true });
  }

  /** A request to an admin route, with the admin token. */
  async function admin(path, { method = 'GET', body } = {}) {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  return { site, sites, state, api, worker, demo, demoOrigin, adminToken, customerSecret, query, write, summary, customerToken, admin, stop, workerLogTail };
}

/** The Turnstile token the stand-in siteverify accepts. */
export const HUMAN_TOKEN = 'human-token';

/**
 * A stand-in for Cloudflare's Turnstile siteverify endpoint on 127.0.0.1 (the real one is
 * out of reach offline): it passes HUMAN_TOKEN and fails anything else.
 */
function startFakeSiteverify() {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      const success = form.get('response') === HUMAN_TOKEN && Boolean(form.get('secret'));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ success }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/siteverify`,
        stop: () => new Promise((done) => server.close(done)),
      }),
    ),
  );
}

/** A fresh idempotency key or visitor id. */
export const newId = () => randomUUID();

/**
 * Waits, when needed, until a span expected to take under `spanMs` fits in one window of
 * `periodMs` counted from the Unix epoch, as the worker's counters are.
 */
async function withinOneWindow(periodMs, spanMs) {
  const left = periodMs - (Date.now() % periodMs);
  if (left < spanMs) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

/**
 * Waits, when needed, for a fresh minute: the local rate-limiting bindings count in
 * windows aligned to the clock's minutes, so a burst that crosses into the next minute
 * would find its counter reset. Call before a burst expected to take under `burstMs`.
 */
export const atStartOfRateWindow = (burstMs = 15_000) => withinOneWindow(60_000, burstMs);

/**
 * Waits, when needed, for UTC midnight to pass: daily caps and allowances, and the NPS
 * summary's days, count UTC days, so a test that straddles midnight would see its
 * counts split across two days. Call before steps expected to take under `spanMs`.
 */
export const clearOfUtcMidnight = (spanMs = 60_000) => withinOneWindow(86_400_000, spanMs);
