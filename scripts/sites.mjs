// Sites live in D1. This module writes one from a JSON description, locally or on
// Cloudflare; `npm run site -- FILE [--remote]` is its command line:
//
//   { "id": "cairn", "name": "Cairn", "allowed_origins": ["https://cairn.example"],
//     "config": { "default_locale": "fr", "contact_url": "https://cairn.example/contact", ... },
//     "turnstile_secret": null }
//
// The file is checked first by the rules the console's settings follow (core's
// site_file.rs): a mistake is named and nothing is written. A new site gets a fresh admin
// token and customer-token secret, printed once; only the token's SHA-256 is stored. An
// existing site keeps its secrets unless --rotate-secrets.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bin, root, run, say, workerDir, wranglerEnv } from './lib.mjs';

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

/**
 * The id of worker/wrangler.toml's D1 database, which names its local file (wrangler's
 * rule when no `preview_database_id` is given).
 */
function localDatabaseId() {
  const config = readFileSync(join(workerDir, 'wrangler.toml'), 'utf8');
  if (/^\s*preview_database_id\s*=/m.test(config)) throw new Error('wrangler.toml has a preview_database_id: open the local D1 by that id');
  const id = config.match(/^\s*database_id\s*=\s*"([^"]+)"/m)?.[1];
  if (!id) throw new Error('wrangler.toml names no database_id');
  return id;
}

/**
 * The SQLite file of the local D1 kept in `state`: the one database file in miniflare's D1
 * folder (its name is a hash of the database id; `metadata.sqlite` is miniflare's own).
 */
export function localDatabaseFile(state) {
  const folder = join(state, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const files = readdirSync(folder).filter((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite');
  if (files.length !== 1) throw new Error(`${folder} holds ${files.length} databases (${files.join(', ')}); expected one`);
  return join(folder, files[0]);
}

/**
 * The local D1 kept in `state`, opened as `wrangler d1 execute --local` opens it (by a
 * workerd of its own, on the same file) but once for many statements: a statement takes
 * about 10 ms, where starting wrangler takes over a second. `close` when done. Miniflare is
 * imported on the first statement, not with this module: `npm start` imports it before its
 * set-up has installed the npm packages.
 */
export function openLocalDatabase(state) {
  let opened;
  const open = () =>
    (opened ??= import('miniflare').then(
      ({ Miniflare }) =>
        new Miniflare({
          modules: true,
          script: '',
          d1Persist: join(state, 'v3', 'd1'),
          d1Databases: { DB: localDatabaseId() },
        }),
    ));
  return {
    /**
     * The rows of one SQL statement. While a running worker holds the file's lock, workerd
     * answers SQLITE_BUSY, which D1 reports as an "internal error" and which changed
     * nothing: the statement is run again, up to six times over about two and a half seconds.
     */
    async query(sql) {
      const database = await (await open()).getD1Database('DB');
      for (let attempt = 1; ; attempt++) {
        try {
          return (await database.prepare(sql).all()).results;
        } catch (error) {
          if (attempt === 6 || !/internal error/.test(error.message)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 40 * 2 ** attempt));
        }
      }
    },
    close: async () => {
      if (opened) await (await opened).dispose();
    },
  };
}

/** The rows of one SQL statement, on the local D1 or (`target.remote`) on Cloudflare's. */
export async function d1Query(sql, target) {
  if (target.remote) {
    const result = spawnSync(bin('wrangler'), ['d1', 'execute', 'DB', '--remote', '--json', '--command', sql], {
      cwd: workerDir,
      env: { ...wranglerEnv, CI: 'true' },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`wrangler d1 execute failed: ${result.stderr}`);
    return JSON.parse(result.stdout)[0].results;
  }
  const database = openLocalDatabase(target.state);
  try {
    return await database.query(sql);
  } finally {
    await database.close();
  }
}

/** Builds core's site checker (natively, in seconds the first time; at once after). */
export async function buildSiteChecker() {
  say('building the site checker');
  await run('cargo', ['build', '--quiet', '-p', 'portevoix-core', '--bin', 'check-site']);
}

/**
 * `site` (an object, or a site file's text) as it is to be stored, once core's checker
 * accepts it (origins normalized, texts trimmed, every setting present); otherwise throws
 * its reason, which names the field. The first call on a machine compiles the checker.
 */
export function checkedSite(site) {
  const result = spawnSync('cargo', ['run', '--quiet', '-p', 'portevoix-core', '--bin', 'check-site'], {
    cwd: root,
    input: typeof site === 'string' ? site : JSON.stringify(site),
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(result.stderr.trim());
  return JSON.parse(result.stdout);
}

const siteExists = async (id, target) => (await d1Query(`SELECT id FROM sites WHERE id = ${sqlText(id)}`, target)).length > 0;

/**
 * Creates or updates `given` (an object or a site file's text, checked by
 * [`checkedSite`]). Secrets are written when given (or when the site is new); otherwise
 * the stored ones are kept. Returns the site as stored and the secrets that were written.
 */
export async function upsertSite(given, target, { adminToken, customerSecret, quiet = false } = {}) {
  const site = checkedSite(given);
  const isNew = !(await siteExists(site.id, target));
  const secrets = isNew || adminToken || customerSecret
    ? { adminToken: adminToken ?? secret(), customerSecret: customerSecret ?? secret() }
    : null;
  const columns = {
    name: sqlText(site.name),
    allowed_origins: sqlText(JSON.stringify(site.allowed_origins)),
    config: sqlText(JSON.stringify(site.config)),
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
  if (!quiet) say(`${isNew ? 'creating' : 'updating'} site ${site.id} (${target.remote ? 'on Cloudflare' : 'in the local D1'})`);
  await d1Query(sql, target);
  return { site, secrets };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const usage = 'usage: npm run site -- SITE.json [--remote | --state DIR] [--rotate-secrets]';
  let options;
  try {
    options = parseArgs({
      allowPositionals: true,
      options: { remote: { type: 'boolean' }, state: { type: 'string' }, 'rotate-secrets': { type: 'boolean' } },
    });
  } catch (error) {
    console.error(`${error.message}\n${usage}`);
    process.exit(2);
  }
  const { values, positionals } = options;
  const [file] = positionals;
  if (!file || positionals.length > 1) {
    console.error(usage);
    process.exit(2);
  }
  // --state: a local D1 other than `npm start`'s (another checkout's, or a test's).
  const target = values.remote ? { remote: true } : { state: values.state ?? new URL('../.portevoix/state', import.meta.url).pathname };
  await buildSiteChecker();
  let site;
  let written;
  try {
    const rotated = values['rotate-secrets'] ? { adminToken: secret(), customerSecret: secret() } : {};
    ({ site, secrets: written } = await upsertSite(readFileSync(file, 'utf8'), target, rotated));
  } catch (error) {
    console.error(`${file}: ${error.message}\nNothing was written.`);
    process.exit(1);
  }
  if (written) {
    say(`site ${site.id} saved. Keep these now; they are not shown again:`);
    console.log(`  admin token            ${written.adminToken}\n  customer-token secret  ${written.customerSecret}`);
  } else {
    say(`site ${site.id} updated; its secrets are unchanged.`);
  }
}
