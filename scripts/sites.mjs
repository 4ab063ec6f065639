// Sites live in D1. This module writes one from a JSON description, locally or on
// Cloudflare; `npm run site -- FILE [--remote]` is its command line:
//
//   { "id": "cairn", "name": "Cairn", "allowed_origins": ["https://cairn.example"],
//     "config": { "default_locale": "fr", "contact_url": "https://cairn.example/contact", ... },
//     "turnstile_secret": null }
//
// A new site gets a fresh admin token and customer-token secret, printed once; only the
// token's SHA-256 is stored. An existing site keeps its secrets unless --rotate-secrets.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { bin, run, say, workerDir, wranglerEnv } from './lib.mjs';

/** A random secret, URL-safe. */
export const secret = () => randomBytes(24).toString('base64url');

const sqlText = (value) => `'${String(value).replaceAll("'", "''")}'`;
const where = (target) => (target.remote ? ['--remote'] : ['--local', '--persist-to', target.state]);

/** Runs `wrangler d1 …` against the local state folder or the remote database. */
export function d1(args, target, options = {}) {
  return run(bin('wrangler'), ['d1', ...args, ...where(target)], {
    cwd: workerDir,
    env: { ...wranglerEnv, CI: 'true' },
    ...options,
  });
}

/** The rows of one SQL statement run by `wrangler d1 execute`. */
export function d1Query(sql, target) {
  const result = spawnSync(
    bin('wrangler'),
    ['d1', 'execute', 'DB', ...where(target), '--json', '--command', sql],
    { cwd: workerDir, env: wranglerEnv, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`wrangler d1 execute failed: ${result.stderr}`);
  return JSON.parse(result.stdout)[0].results;
}

const siteExists = (id, target) => d1Query(`SELECT id FROM sites WHERE id = ${sqlText(id)}`, target).length > 0;

/**
 * Creates or updates `site`. Secrets are written when given (or when the site is new);
 * otherwise the stored ones are kept. Returns the secrets that were written.
 */
export async function upsertSite(site, target, { adminToken, customerSecret, quiet = false } = {}) {
  if (!/^[a-z0-9-]{1,64}$/.test(site.id)) throw new Error(`site id ${JSON.stringify(site.id)} must be 1-64 of a-z, 0-9, -`);
  const isNew = !siteExists(site.id, target);
  const secrets = isNew || adminToken || customerSecret
    ? { adminToken: adminToken ?? secret(), customerSecret: customerSecret ?? secret() }
    : null;
  const columns = {
    name: sqlText(site.name),
    allowed_origins: sqlText(JSON.stringify(site.allowed_origins ?? [])),
    config: sqlText(JSON.stringify(site.config ?? {})),
    // Turnstile's secret, if the site turns the human check on (with config.turnstile_site_key).
    turnstile_secret: site.turnstile_secret ? sqlText(site.turnstile_secret) : 'NULL',
    ...(secrets && {
      admin_token_sha256: sqlText(createHash('sha256').update(secrets.adminToken).digest('hex')),
      customer_token_secret: sqlText(secrets.customerSecret),
    }),
  };
  const names = Object.keys(columns);
  const sql = isNew
    ? `INSERT INTO sites (id, ${names.join(', ')}, created_at) VALUES (${sqlText(site.id)}, ${Object.values(columns).join(', ')}, ${Date.now()})`
    : `UPDATE sites SET ${names.map((name) => `${name} = ${columns[name]}`).join(', ')} WHERE id = ${sqlText(site.id)}`;
  await d1(['execute', 'DB', '--command', sql], target, {
    label: `wrangler d1 execute DB (${isNew ? 'create' : 'update'} site ${site.id})`,
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
  });
  return secrets;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const file = args.find((arg) => !arg.startsWith('--'));
  if (!file) {
    console.error('usage: npm run site -- SITE.json [--remote] [--rotate-secrets]');
    process.exit(2);
  }
  const remote = args.includes('--remote');
  const target = remote ? { remote } : { state: new URL('../.portevoix/state', import.meta.url).pathname };
  const rotate = args.includes('--rotate-secrets');
  const site = JSON.parse(readFileSync(file, 'utf8'));
  const written = await upsertSite(site, target, rotate ? { adminToken: secret(), customerSecret: secret() } : {});
  if (written) {
    say(`site ${site.id} saved. Keep these now; they are not shown again:`);
    console.log(`  admin token            ${written.adminToken}\n  customer-token secret  ${written.customerSecret}`);
  } else {
    say(`site ${site.id} updated; its secrets are unchanged.`);
  }
}
