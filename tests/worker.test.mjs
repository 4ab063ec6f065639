// The worker over HTTP on workerd with a fresh local D1: the NPS routes, every refusal,
// and proof from the database that refused requests store nothing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { upsertSite } from '../scripts/sites.mjs';
import { HUMAN_TOKEN, atStartOfRateWindow, clearOfUtcMidnight, newId, startStack } from './support.mjs';

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

const answer = (overrides = {}) => {
  const idempotency_key = newId();
  return {
    score: 9,
    comment: `Tente montée en 5 minutes, réf. ${idempotency_key}`,
    visitor_id: newId(),
    idempotency_key,
    page_url: 'https://cairn.example/tentes',
    locale: 'fr',
    elapsed_ms: 8000,
    ...overrides,
  };
};
async function post(body, { origin = stack.demoOrigin, contentType = 'application/json', site = stack.site, raw } = {}) {
  const headers = { 'content-type': contentType };
  if (origin) headers.origin = origin;
  const response = await fetch(`${stack.worker.origin}/v1/sites/${site}/nps`, {
    method: 'POST',
    headers,
    body: raw ?? JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

const rowsWithKey = (key) => stack.query(`SELECT * FROM nps_answers WHERE idempotency_key = '${key}'`);
const totalRows = async () => (await stack.query('SELECT COUNT(*) AS n FROM nps_answers'))[0].n;

describe('public configuration', () => {
  test('is served to allowed origins with CORS and without secrets', async () => {
    const response = await fetch(`${stack.api}/config`, { headers: { origin: stack.demoOrigin } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), stack.demoOrigin);
    const config = await response.json();
    assert.equal(config.site, 'cairn');
    assert.equal(config.brand_name, 'Cairn');
    assert.equal(config.contact_url, `${stack.demoOrigin}/#contact`);
    const text = JSON.stringify(config);
    assert.ok(!text.includes('secret') && !text.includes('admin') && !text.includes('allowed_origins'));
  });

  test('is 404 for an unknown site', async () => {
    const response = await fetch(`${stack.worker.origin}/v1/sites/nobody/config`);
    assert.equal(response.status, 404);
    assert.equal((await response.json()).error.code, 'unknown_site');
  });
});

describe('POST /nps', () => {
  test('stores an answer and returns its id and category', async () => {
    const body = answer({ score: 10 });
    const { status, body: created, headers } = await post(body);
    assert.equal(status, 201);
    assert.equal(created.category, 'promoter');
    assert.match(created.id, /^[0-9a-f]{32}$/);
    assert.equal(headers.get('access-control-allow-origin'), stack.demoOrigin);
    const [row] = await rowsWithKey(body.idempotency_key);
    assert.equal(row.id, created.id);
    assert.equal(row.score, 10);
    assert.equal(row.category, 'promoter');
    assert.equal(row.comment, body.comment);
    assert.equal(row.visitor_id, body.visitor_id);
    assert.equal(row.page_url, body.page_url);
  });

  test('a retry with the same idempotency key returns the first answer and stores nothing', async () => {
    const body = answer({ score: 4 });
    const first = await post(body);
    const retry = await post(body);
    const changed = await post({ ...body, score: 10 });
    assert.deepEqual([first.status, retry.status, changed.status], [201, 200, 200]);
    assert.deepEqual(retry.body, first.body);
    assert.deepEqual(changed.body, first.body);
    assert.equal((await rowsWithKey(body.idempotency_key)).length, 1);
  });

  test('concurrent retries of one answer store it once', async () => {
    const body = answer({ score: 7 });
    const results = await Promise.all(Array.from({ length: 8 }, () => post(body)));
    assert.equal(results.filter((result) => result.status === 201).length, 1);
    assert.equal(new Set(results.map((result) => result.body.id)).size, 1);
    assert.equal((await rowsWithKey(body.idempotency_key)).length, 1);
  });

  test('hostile strings are stored exactly as given', async () => {
    const hostile = `<script>alert("x")</script>'); DROP TABLE nps_answers; -- \u202e émoji 🏔️`;
    const body = answer({ score: 1, comment: hostile });
    assert.equal((await post(body)).status, 201);
    assert.equal((await rowsWithKey(body.idempotency_key))[0].comment, hostile);
  });

  test('robots are refused: a filled honeypot, a comment sent too fast, a copied comment', async () => {
    const before = await totalRows();
    for (const body of [answer({ website: 'http://pills.example' }), answer({ elapsed_ms: 300 })]) {
      const result = await post(body);
      assert.equal(result.status, 422);
      assert.equal(result.body.error.code, 'spam_suspected');
    }
    const original = answer({ comment: 'La meilleure tente que j’aie jamais eue, vraiment.' });
    assert.equal((await post(original)).status, 201);
    const copy = await post(answer({ comment: 'la meilleure tente que j’aie jamais eue vraiment' }));
    assert.equal(copy.status, 422);
    assert.equal(copy.body.error.code, 'spam_suspected');
    assert.equal(await totalRows(), before + 1);
  });

  test('a visitor sending more than 30 answers a minute gets 429 with Retry-After', async () => {
    const visitor_id = newId();
    await atStartOfRateWindow();
    const results = [];
    for (let index = 0; index < 31; index++) results.push(await post(answer({ visitor_id })));
    assert.deepEqual(results.slice(0, 30).map((result) => result.status), Array(30).fill(201));
    const refused = results[30];
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'rate_limited');
    assert.equal(refused.headers.get('retry-after'), '60');
    assert.equal((await stack.query(`SELECT COUNT(*) AS n FROM nps_answers WHERE visitor_id = '${visitor_id}'`))[0].n, 30);
    assert.equal((await post(answer())).status, 201, 'other visitors are not held back');
  });

  test('a valid customer token links the answer to the customer', async () => {
    const body = answer({ customer_token: stack.customerToken('customer-42') });
    assert.equal((await post(body)).status, 201);
    assert.equal((await rowsWithKey(body.idempotency_key))[0].customer_id, 'customer-42');
  });

  const refusals = [
    ['score above 10', answer({ score: 11 }), 422, 'invalid_field', 'score'],
    ['negative score', answer({ score: -1 }), 422, 'invalid_field', 'score'],
    ['score as a string', answer({ score: '9' }), 422, 'invalid_field', 'score'],
    ['fractional score', answer({ score: 8.5 }), 422, 'invalid_field', 'score'],
    ['missing score', (({ score, ...rest }) => rest)(answer()), 422, 'invalid_field', 'score'],
    ['missing visitor_id', (({ visitor_id, ...rest }) => rest)(answer()), 422, 'invalid_field', 'visitor_id'],
    ['missing idempotency_key', (({ idempotency_key, ...rest }) => rest)(answer()), 422, 'invalid_field', 'idempotency_key'],
    ['visitor_id of the wrong type', answer({ visitor_id: 1234567890 }), 422, 'invalid_field', 'visitor_id'],
    ['visitor_id with unsafe characters', answer({ visitor_id: "x' OR 1=1 --" }), 422, 'invalid_field', 'visitor_id'],
    ['comment over 2,000 characters', answer({ comment: 'é'.repeat(2001) }), 422, 'invalid_field', 'comment'],
    ['comment of the wrong type', answer({ comment: { text: 'hi' } }), 422, 'invalid_field', 'comment'],
    ['comment with a control character', answer({ comment: 'fermeture\u0000cassée' }), 422, 'invalid_field', 'comment'],
    ['page_url that is not a web URL', answer({ page_url: 'javascript:alert(1)' }), 422, 'invalid_field', 'page_url'],
    ['unsupported locale', answer({ locale: 'de' }), 422, 'invalid_field', 'locale'],
    ['unknown field', answer({ admin: true }), 422, 'invalid_field', 'admin'],
    ['forged customer token', answer({ customer_token: 'v1.eyJzdWIiOiJ4IiwiZXhwIjo5OTk5OTk5OTk5fQ.AAAA' }), 401, 'invalid_customer_token'],
    ['expired customer token', answer({ customer_token: 'EXPIRED' }), 401, 'customer_token_expired'],
  ];
  for (const [name, body, status, code, field] of refusals) {
    test(`refuses a ${name} and stores nothing`, async () => {
      if (body.customer_token === 'EXPIRED') body.customer_token = stack.customerToken('customer-1', -10);
      const before = await totalRows();
      const result = await post(body);
      assert.equal(result.status, status);
      assert.equal(result.body.error.code, code);
      assert.equal(typeof result.body.error.message, 'string');
      if (field) assert.equal(result.body.error.field, field);
      assert.equal(result.headers.get('access-control-allow-origin'), stack.demoOrigin, 'the page can read the error');
      assert.equal(await totalRows(), before);
    });
  }

  test('refuses a token signed with another secret', async () => {
    const body = answer({ customer_token: stack.customerToken('customer-1', 3600, 'not-the-site-secret') });
    const result = await post(body);
    assert.equal(result.status, 401);
    assert.equal((await rowsWithKey(body.idempotency_key)).length, 0);
  });

  const malformed = [
    ['broken JSON', '{"score": 9,'],
    ['an array', '[9]'],
    ['a bare number', '9'],
    ['an empty body', ''],
    ['deeply nested arrays', `${'['.repeat(5000)}${']'.repeat(5000)}`],
  ];
  for (const [name, raw] of malformed) {
    test(`refuses ${name} as invalid JSON`, async () => {
      const before = await totalRows();
      const result = await post(null, { raw });
      assert.equal(result.status, 400);
      assert.equal(result.body.error.code, 'invalid_json');
      assert.equal(await totalRows(), before);
    });
  }

  test('refuses a deeply nested field as an invalid field', async () => {
    const before = await totalRows();
    const result = await post(null, { raw: `{"score":${'['.repeat(5000)}${']'.repeat(5000)}}` });
    assert.equal(result.status, 422);
    assert.equal(result.body.error.field, 'score');
    assert.equal(await totalRows(), before);
  });

  test('refuses bodies that are not JSON with 415', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const result = await post(answer(), { contentType });
      assert.equal(result.status, 415);
      assert.equal(result.body.error.code, 'unsupported_media_type');
    }
  });

  test('refuses bodies over 16 KB, up to a 1 MB body, with 413', async () => {
    for (const size of [17 * 1024, 1024 * 1024]) {
      const before = await totalRows();
      const result = await post(answer({ comment: 'a'.repeat(size) }));
      assert.equal(result.status, 413);
      assert.equal(result.body.error.code, 'payload_too_large');
      assert.equal(await totalRows(), before);
    }
  });

  test('refuses an unknown site with 404', async () => {
    const response = await fetch(`${stack.worker.origin}/v1/sites/nobody/nps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.demoOrigin },
      body: JSON.stringify(answer()),
    });
    assert.equal(response.status, 404);
    assert.equal((await response.json()).error.code, 'unknown_site');
  });

  test('refuses a foreign origin, and a missing one, with 403 and no CORS grant', async () => {
    const before = await totalRows();
    const foreign = await post(answer(), { origin: 'https://evil.example' });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.body.error.code, 'origin_not_allowed');
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
    const missing = await post(answer(), { origin: null });
    assert.equal(missing.status, 403);
    assert.equal(missing.body.error.code, 'origin_required');
    assert.equal(await totalRows(), before);
  });

  test('answers the CORS preflight for allowed origins only', async () => {
    const preflight = (origin) =>
      fetch(`${stack.api}/nps`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight(stack.demoOrigin);
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), stack.demoOrigin);
    assert.match(allowed.headers.get('access-control-allow-methods'), /POST/);
    assert.match(allowed.headers.get('access-control-allow-headers'), /content-type/);
    const foreign = await preflight('https://evil.example');
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  });

  test('refuses other methods with 405', async () => {
    const response = await fetch(`${stack.api}/nps`, { method: 'DELETE', headers: { origin: stack.demoOrigin } });
    assert.equal(response.status, 405);
  });
});

describe('Turnstile', () => {
  test('a site that turns it on needs a passing token, and a spent token still gets its replay', async () => {
    await upsertSite(
      {
        id: 'cairn-human',
        name: 'Cairn',
        allowed_origins: [stack.demoOrigin],
        config: { turnstile_site_key: '0x4AAAAAAAtest' },
        turnstile_secret: 'turnstile-secret',
      },
      { state: stack.state },
      { adminToken: stack.adminToken, customerSecret: 'unused', quiet: true },
    );
    const config = await (await fetch(`${stack.worker.origin}/v1/sites/cairn-human/config`)).json();
    assert.equal(config.turnstile_site_key, '0x4AAAAAAAtest');
    for (const token of [undefined, 'robot-token']) {
      const refused = await post(answer({ turnstile_token: token }), { site: 'cairn-human' });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'human_check_failed');
    }
    const body = answer({ turnstile_token: HUMAN_TOKEN });
    const first = await post(body, { site: 'cairn-human' });
    assert.equal(first.status, 201);
    const retry = await post({ ...body, turnstile_token: 'spent-token' }, { site: 'cairn-human' });
    assert.deepEqual([retry.status, retry.body], [200, first.body]);
    assert.equal((await stack.query("SELECT COUNT(*) AS n FROM nps_answers WHERE site_id = 'cairn-human'"))[0].n, 1);
  });
});

describe('GET /nps/summary', () => {
  test('needs the admin token', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', stack.adminToken]) {
      const headers = authorization ? { authorization } : {};
      const response = await fetch(`${stack.api}/nps/summary`, { headers });
      assert.equal(response.status, 401, String(authorization));
      assert.equal((await response.json()).error.code, 'unauthorized');
    }
  });

  test('counts categories and computes the NPS for a date range', async () => {
    await clearOfUtcMidnight();
    const day = new Date().toISOString().slice(0, 10);
    const before = await stack.summary(`?from=${day}&to=${day}`);
    for (const score of [10, 9, 8, 0]) assert.equal((await post(answer({ score }))).status, 201);
    const now = await stack.summary(`?from=${day}&to=${day}`);
    assert.equal(now.total - before.total, 4);
    assert.equal(now.promoters - before.promoters, 2);
    assert.equal(now.passives - before.passives, 1);
    assert.equal(now.detractors - before.detractors, 1);
    assert.equal(now.passives, now.total - now.promoters - now.detractors);
    const expected = Math.round(((now.promoters - now.detractors) * 1000) / now.total) / 10;
    assert.equal(now.nps, expected);
    assert.equal(now.from, day);
  });

  test('has no NPS for a range without answers', async () => {
    const empty = await stack.summary('?from=2001-01-01&to=2001-12-31');
    assert.deepEqual(empty, { from: '2001-01-01', to: '2001-12-31', total: 0, promoters: 0, passives: 0, detractors: 0, nps: null });
  });

  test('refuses malformed dates with 400', async () => {
    for (const query of ['?from=yesterday', '?to=2026-02-30', '?from=2026-12-01&to=2026-11-01', '?from=2026-01-01&from=2026-02-01']) {
      const response = await fetch(`${stack.api}/nps/summary${query}`, {
        headers: { authorization: `Bearer ${stack.adminToken}` },
      });
      assert.equal(response.status, 400, query);
      assert.equal((await response.json()).error.code, 'invalid_query');
    }
  });
});

describe('GET /theme', () => {
  const themeOf = (site, token = stack.adminToken) =>
    fetch(`${stack.worker.origin}/v1/sites/${site}/theme`, { headers: { authorization: `Bearer ${token}` } });

  test('reports no contrast problem for the demo themes', async () => {
    for (const site of stack.sites) {
      const response = await themeOf(site);
      assert.equal(response.status, 200, site);
      assert.deepEqual((await response.json()).contrast_warnings, [], site);
    }
  });

  test('tells the brand which colours fail WCAG contrast, to the admin only', async () => {
    await upsertSite(
      { id: 'pale', name: 'Pale', allowed_origins: [], config: { theme: { mode: 'auto', text: '#9a9a9a', dark: { accent: '#333333' } } } },
      { state: stack.state },
      { adminToken: stack.adminToken, customerSecret: 'unused', quiet: true },
    );
    assert.equal((await themeOf('pale', 'wrong')).status, 401);
    const report = await (await themeOf('pale')).json();
    assert.equal(report.contrast_warnings.length, 3, JSON.stringify(report.contrast_warnings));
    assert.match(report.contrast_warnings[0], /^light theme: text #9a9a9a on background #ffffff has a contrast of 2\.\d\d:1/);
    assert.match(report.contrast_warnings[1], /^dark theme: on_accent #0d1f18 on accent #333333/);
    assert.match(report.contrast_warnings[2], /^dark theme: accent #333333 on background #18201c/);
  });
});

describe('widget files', () => {
  test('integrity.json lists the SRI hashes of the loader and of the glue and Wasm it pins', async () => {
    const hashes = await (await fetch(`${stack.worker.origin}/integrity.json`)).json();
    const [loaderPath, wasmPath, gluePath] = Object.keys(hashes);
    assert.equal(loaderPath, '/portevoix.js');
    assert.match(wasmPath, /^\/w\/portevoix-[0-9a-f]{16}\.wasm$/);
    assert.equal(gluePath, wasmPath.replace(/wasm$/, 'js'), 'one name for the pair');
    const bytesOf = async (path) => Buffer.from(await (await fetch(`${stack.worker.origin}${path}`)).arrayBuffer());
    const sri = (bytes, algorithm) => `${algorithm}-${createHash(algorithm).update(bytes).digest('base64')}`;
    assert.equal(hashes[loaderPath], sri(await bytesOf(loaderPath), 'sha384'));
    assert.equal(hashes[wasmPath], sri(await bytesOf(wasmPath), 'sha256'));
    assert.equal(hashes[gluePath], sri(await bytesOf(gluePath), 'sha256'));
    const loader = (await bytesOf(loaderPath)).toString();
    assert.ok(loader.includes(hashes[gluePath]), 'the loader pins the glue');
    assert.ok((await bytesOf(gluePath)).toString().includes(hashes[wasmPath]), 'the glue pins the Wasm');
  });

  test('static files carry security headers', async () => {
    const response = await fetch(`${stack.worker.origin}/portevoix.js`);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
  });

  test('the loader is small, cross-origin loadable and briefly cached', async () => {
    const response = await fetch(`${stack.worker.origin}/portevoix.js`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /javascript/);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.match(response.headers.get('cache-control'), /max-age=300/);
    const source = await response.text();
    const wasmPath = `${source.match(/w\/portevoix-[0-9a-f]{16}/)[0]}.wasm`;
    const wasm = await fetch(`${stack.worker.origin}/${wasmPath}`);
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.match(wasm.headers.get('cache-control'), /immutable/);
  });
});
