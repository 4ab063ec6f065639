// `npm run site`, the operator's way to create and change a site: the file is checked by
// the rules the console's settings follow, a mistake is named and writes nothing (a stored
// configuration that does not parse would break every widget of the site), and a good file
// is stored as the worker then serves it, its secrets kept unless rotated.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { root } from '../scripts/lib.mjs';
import { startStack } from './support.mjs';

let stack;
let folder;

before(async () => {
  stack = await startStack();
  folder = mkdtempSync(join(tmpdir(), 'portevoix-site-file-'));
});
after(async () => {
  await stack?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** Runs `npm run site -- FILE --state …` on `text` (an object is written as JSON). */
async function runSite(text, ...flags) {
  const file = join(folder, 'site.json');
  writeFileSync(file, typeof text === 'string' ? text : JSON.stringify(text));
  try {
    const { stdout, stderr } = await promisify(execFile)('node', ['scripts/sites.mjs', file, '--state', stack.state, ...flags], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

const rowOf = async (id) => (await stack.query(`SELECT * FROM sites WHERE id = '${id}'`))[0];
const probe = (config, extra = {}) => ({ id: 'probe', name: 'Probe', allowed_origins: [stack.demoOrigin], config, ...extra });

describe('npm run site', () => {
  test('refuses each mistake with its field named, and writes nothing', async () => {
    const cairnBefore = await rowOf('cairn');
    const mistakes = [
      ['{ "id": "probe", "name": ', /not valid JSON/],
      [probe({ nps: { ask_again_after_days: '90' } }), /config\.nps\.ask_again_after_days: invalid type: string "90", expected u32/],
      [probe({ nps: { ask_again_afer_days: 30 } }), /unknown field config\.nps\.ask_again_afer_days/],
      [{ id: 'probe', allowed_origins: [] }, /name is required/],
      [{ ...probe({}), id: 'Probe!' }, /id must be 1 to 64 characters of a-z, 0-9 and -/],
      [probe({ brand_name: 'B'.repeat(81) }), /config\.brand_name must be at most 80 characters/],
      [probe({ copy: { fr: { send: 'x'.repeat(501) } } }), /config\.copy\.fr\.send must be at most 500 characters/],
      // Each text within its limit, but more than the console could save back.
      [probe({ copy: Object.fromEntries(Array.from({ length: 150 }, (_, index) => [`en-t${index}`, { send: 'x'.repeat(500) }])) }), /the console could not save them back/],
      [probe({ theme: { accent: 'red;}</style><script>alert(1)</script>' } }), /config\.theme\.accent must be a plain CSS value/],
      [probe({ contact_url: 'javascript:alert(1)' }), /config\.contact_url must be an http\(s\) URL/],
      [{ ...probe({}), allowed_origins: ['https://cairn.example/shop'] }, /allowed_origins\[0\] must be an origin/],
      [probe({ referral: { landing_url: 'https://elsewhere.example/' } }), /config\.referral\.landing_url must be an http\(s\) page on one of the allowed origins/],
      [probe({ turnstile_site_key: '0x4AAAAAAAtest' }), /turnstile_secret is required with config\.turnstile_site_key/],
      // An existing site's update is refused the same way and leaves it as it was.
      [{ id: 'cairn', name: 'Cairn', allowed_origins: [stack.demoOrigin], config: { rewards: { points_per_review: 1e6 } } }, /config\.rewards\.points_per_review must be at most 10000/],
    ];
    for (const [file, reason] of mistakes) {
      const run = await runSite(file);
      assert.equal(run.code, 1, `${JSON.stringify(file)}: ${run.stderr}`);
      assert.match(run.stderr, reason);
      assert.match(run.stderr, /Nothing was written\.$/m);
      assert.doesNotMatch(run.stdout, /admin token/);
    }
    assert.equal(await rowOf('probe'), undefined);
    assert.deepEqual(await rowOf('cairn'), cairnBefore);
    const config = await fetch(`${stack.worker.origin}/v1/sites/cairn/config`);
    assert.equal(config.status, 200, 'the site still serves its widgets');
  });

  test('stores a good file as the worker serves it, and keeps its secrets unless rotated', async () => {
    const hostileName = `Probe's "best" <b>'); DROP TABLE sites; --`;
    const created = await runSite({
      id: 'probe',
      name: `  ${hostileName}  `,
      allowed_origins: [`${stack.demoOrigin.toUpperCase()}/`],
      config: { default_locale: 'fr', nps: { ask_again_after_days: 30 }, theme: { accent: '#b3261e' } },
    });
    assert.equal(created.code, 0, created.stderr);
    const [, adminToken] = created.stdout.match(/admin token\s+(\S+)/);
    const row = await rowOf('probe');
    assert.equal(row.name, hostileName, 'stored as written, trimmed');
    assert.deepEqual(JSON.parse(row.allowed_origins), [stack.demoOrigin], 'the origin normalized');
    assert.equal(JSON.parse(row.config).nps.ask_again_after_days, 30);

    const config = await (await fetch(`${stack.worker.origin}/v1/sites/probe/config`)).json();
    assert.equal(config.brand_name, hostileName);
    assert.equal(config.theme.accent, '#b3261e');
    const signedIn = await fetch(`${stack.worker.origin}/v1/sites/probe/nps/summary`, { headers: { authorization: `Bearer ${adminToken}` } });
    assert.equal(signedIn.status, 200, 'the printed admin token is the one stored');

    const updated = await runSite(probe({ nps: { ask_again_after_days: 0 } }));
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /secrets are unchanged/);
    const kept = await rowOf('probe');
    assert.equal(kept.admin_token_sha256, row.admin_token_sha256);
    assert.equal(JSON.parse(kept.config).nps.ask_again_after_days, 0);

    const rotated = await runSite(probe({}), '--rotate-secrets');
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.match(rotated.stdout, /admin token/);
    assert.notEqual((await rowOf('probe')).admin_token_sha256, row.admin_token_sha256);
  });

  test('accepts the site file the README shows, every setting in it as written', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const example = JSON.parse(readme.match(/```json\n(\{\n  "id": [\s\S]*?)\n```/)[1]);
    const run = await runSite({ ...example, id: 'readme-example' });
    assert.equal(run.code, 0, run.stderr);
    // Every value the file gives is stored as given (what it leaves out takes its default).
    const holds = (stored, given, path) => {
      if (given === null || typeof given !== 'object' || Array.isArray(given)) {
        assert.deepEqual(stored, given, path);
        return;
      }
      for (const [key, value] of Object.entries(given)) holds(stored?.[key], value, `${path}.${key}`);
    };
    holds(JSON.parse((await rowOf('readme-example')).config), example.config, 'config');
  });
});
