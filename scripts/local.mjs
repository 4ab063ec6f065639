// The local stack shared by `npm start` and the tests: a D1 database under a state
// folder (migrated and seeded with the demo sites), the worker on workerd through
// wrangler, and the demo brand site served from its own origin.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { cp, readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import { assetsDir, bin, root, workerDir, wranglerEnv } from './lib.mjs';
import { d1, upsertSite } from './sites.mjs';

const demoDir = join(root, 'demo-site');

/** Applies the migrations to the local D1 under `state`, through wrangler as a deploy does. */
export function migrateDatabase(state, { quiet = false } = {}) {
  return d1(['migrations', 'apply', 'DB'], { state }, { stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
}

/**
 * Migrates the local D1 under `state` and (re)writes the demo sites of demo-site/sites/,
 * allowed on `demoOrigin`. Returns their ids. `migrated`, a state folder whose D1 was
 * migrated and left untouched since, is copied instead of migrating again: starting
 * wrangler to apply the migrations takes seconds, copying the file milliseconds.
 */
export async function prepareDatabase({ state, demoOrigin, adminToken, customerSecret, quiet = false, migrated }) {
  const target = { state };
  if (migrated) await cp(migrated, state, { recursive: true });
  else await migrateDatabase(state, { quiet });
  const sitesDir = join(demoDir, 'sites');
  const ids = [];
  for (const file of (await readdir(sitesDir)).filter((name) => name.endsWith('.json')).sort()) {
    const site = JSON.parse((await readFile(join(sitesDir, file), 'utf8')).replaceAll('{demo}', demoOrigin));
    site.allowed_origins = [demoOrigin];
    await upsertSite(site, target, { adminToken, customerSecret, quiet });
    ids.push(site.id);
  }
  return ids;
}

/**
 * wrangler 4.86's dev proxy parks a GET whose forwarding to the worker meets a keep-alive
 * connection closing at that moment (it takes it for a reload under way) and sends it on
 * only when its next request comes (cloudflare/workers-sdk#14641 and #15252; the releases
 * that fix it need Node 22). A page waiting on that one request waited for its widget's
 * 20 s retry: a few loads in a hundred in a stress run, and a failed CI run once. A HEAD of
 * the loader every second sends any parked request on; its log lines are left out.
 */
const HEARTBEAT_MS = 1000;
const HEARTBEAT_LINE = /\bHEAD \/portevoix\.js /;

/**
 * Starts `wrangler dev` on 127.0.0.1:`port`; resolves once the worker answers. Local
 * workerd runs no cron by itself: `--test-scheduled` serves /__scheduled, which runs the
 * worker's cron (the webhook outbox) when called, as `npm start` does every minute.
 * `log`, a file path, takes wrangler's output (each request with its time) instead of the
 * terminal; `quiet` without `log` drops its request lines.
 */
export async function startWorker({ port, state, quiet = false, log, vars = {} }) {
  const varArgs = Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]);
  const toTerminal = !log && !quiet;
  const child = spawn(
    bin('wrangler'),
    ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', state, '--show-interactive-dev-session=false', '--inspector-port', '0', '--test-scheduled', ...varArgs],
    {
      cwd: workerDir,
      // Piped to leave the heartbeat out, yet coloured as before on a terminal.
      env: toTerminal && process.stdout.isTTY ? { ...wranglerEnv, FORCE_COLOR: '1' } : wranglerEnv,
      stdio: ['ignore', 'pipe', log ? 'pipe' : 'inherit'],
      detached: true,
    },
  );
  const output = log ? createWriteStream(log, { flags: 'a' }) : toTerminal ? process.stdout : undefined;
  if (log) child.on('close', () => output.end());
  for (const stream of [child.stdout, child.stderr].filter(Boolean)) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      if (!HEARTBEAT_LINE.test(stripVTControlCharacters(line))) output?.write(`${line}\n`);
    });
  }
  const origin = `http://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${origin}/portevoix.js`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (Date.now() >= deadline) throw new Error('wrangler dev did not answer within 60 s');
  const heartbeat = setInterval(() => {
    fetch(`${origin}/portevoix.js`, { method: 'HEAD', signal: AbortSignal.timeout(5000) }).catch(() => {});
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const stop = async () => {
    clearInterval(heartbeat);
    if (child.exitCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  };
  return { origin, stop };
}

/**
 * Fills each `{{REVIEWS_HTML:site:product:name}}` with the worker's server-rendered review
 * fragment, as a brand's server does so that crawlers without JavaScript see the reviews
 * and their JSON-LD. Without an answer the placeholder is dropped: the widget draws alone.
 */
async function includeReviews(html, worker) {
  const placeholders = [...html.matchAll(/\{\{REVIEWS_HTML:([a-z0-9-]+):([A-Za-z0-9._-]+):([^}]*)\}\}/g)];
  for (const [placeholder, site, product, name] of placeholders) {
    let fragment = '';
    try {
      const url = `${worker}/v1/sites/${site}/products/${product}/reviews.html?limit=5&name=${encodeURIComponent(name)}`;
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) fragment = await response.text();
    } catch {
      fragment = '';
    }
    html = html.replace(placeholder, () => fragment);
  }
  return html;
}

/** The demo customer, Camille, who bought the Bivouac 2 tent (order DEMO-1001). */
export function demoCustomerToken(secret, ttlSeconds = 3600) {
  const claims = {
    sub: 'demo-camille',
    exp: Math.floor(Date.now() / 1000) + ttlSeconds,
    orders: [{ id: 'DEMO-1001', products: ['bivouac-2'] }],
  };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', secret).update(`v1.${payload}`).digest('base64url');
  return `v1.${payload}.${signature}`;
}

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/**
 * Serves demo-site/ on 127.0.0.1:`port` (0: any free port) as a brand's site would: its
 * own origin, the loader tag pointing at the worker, and a strict Content-Security-Policy.
 * The worker's origin can be given later, once the worker is up.
 */
export function startDemoSite({ port = 0, workerOrigin = '', customerSecret = '', adminToken = '' } = {}) {
  let worker = workerOrigin;
  let secret = customerSecret;
  let admin = adminToken;
  const policy = () =>
    [
      "default-src 'self'",
      // Cloudflare's origin is needed only by sites that turn Turnstile on.
      `script-src 'self' ${worker} 'wasm-unsafe-eval' https://challenges.cloudflare.com`,
      `connect-src 'self' ${worker}`,
      'frame-src https://challenges.cloudflare.com',
      "style-src 'self'",
      "img-src 'self' data:",
      "base-uri 'none'",
      "object-src 'none'",
      "frame-ancestors 'none'",
    ].join('; ');
  const server = createServer(async (request, response) => {
    const path = new URL(request.url, 'http://demo').pathname;
    if (path === '/demo/outbox') {
      // The mail the worker recorded for the demo site, read with its admin token (which
      // never reaches the browser): no mail is really sent on a local run.
      let status = 503;
      let body = { error: 'the demo server does not know the worker yet' };
      if (admin && worker) {
        try {
          const answer = await fetch(`${worker}/v1/sites/cairn/mail`, { headers: { authorization: `Bearer ${admin}` } });
          status = answer.status;
          body = await answer.json();
        } catch (error) {
          body = { error: String(error) };
        }
      }
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
      return;
    }
    if (path === '/demo/customer-token') {
      // What a brand's server does for a signed-in customer: vouch for them and their
      // orders with a short-lived token signed with the site's customer-token secret.
      const status = secret ? 200 : 503;
      const body = secret ? { token: demoCustomerToken(secret) } : { error: 'no customer secret' };
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
      return;
    }
    const file = normalize(join(demoDir, path.endsWith('/') ? `${path}index.html` : path));
    const type = contentTypes[extname(file)];
    if (!file.startsWith(demoDir + '/') || !type) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    try {
      let body = await readFile(file);
      if (type.startsWith('text/html')) {
        const hashes = JSON.parse(await readFile(join(assetsDir, 'integrity.json'), 'utf8'));
        body = await includeReviews(
          body
            .toString('utf8')
            .replaceAll('{{WORKER_ORIGIN}}', worker)
            .replaceAll('{{LOADER_INTEGRITY}}', hashes['/portevoix.js']),
          worker,
        );
      }
      response.writeHead(200, {
        'content-type': type,
        'content-security-policy': policy(),
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({
        origin: `http://127.0.0.1:${server.address().port}`,
        setWorkerOrigin: (origin) => (worker = origin),
        setCustomerSecret: (value) => (secret = value),
        setAdminToken: (value) => (admin = value),
        stop: () => new Promise((done) => server.close(done)),
      }),
    );
  });
}
