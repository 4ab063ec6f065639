// Share-and-reward over HTTP on workerd with a fresh local D1: a link, its redirect, the
// visits that count and those that do not, the ledger behind the balances, the advocate
// leaderboard and manual adjustments, and the refusals.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clearOfUtcMidnight, newId, startStack } from './support.mjs';

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

const PERSON = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

async function call(path, { method = 'GET', body, raw, origin = stack.demoOrigin, userAgent = PERSON, authorization, site = stack.site } = {}) {
  const headers = { 'user-agent': userAgent };
  if (origin) headers.origin = origin;
  if (authorization) headers.authorization = authorization;
  if (method === 'POST') headers['content-type'] = 'application/json';
  const response = await fetch(`${stack.worker.origin}/v1/sites/${site}${path}`, {
    method,
    headers,
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    redirect: 'manual',
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

const share = (visitor_id, url = `${stack.demoOrigin}/`, extra = {}) =>
  call('/shares', { method: 'POST', body: { url, visitor_id, ...extra } });
const visit = (code, visitor_id, userAgent = PERSON) =>
  call(`/shares/${code}/visits`, { method: 'POST', body: { visitor_id }, userAgent });
const balance = async (visitor_id, token) =>
  (await call(`/me/points?visitor_id=${visitor_id}`, { authorization: token && `Customer ${token}` })).body.balance;

describe('share links', () => {
  test('a sharer gets a personal short link that redirects to the page with its code', async () => {
    const sharer = newId();
    const made = await share(sharer, `${stack.demoOrigin}/?utm=x#avis`);
    assert.equal(made.status, 201);
    assert.match(made.body.code, /^[0-9a-f]{12}$/);
    assert.equal(made.body.link, `${stack.worker.origin}/s/${made.body.code}`);
    assert.equal(made.body.points_per_visit, 50);
    assert.equal((await share(sharer, `${stack.demoOrigin}/?utm=x#avis`)).body.code, made.body.code, 'one link per sharer and page');

    const redirect = await fetch(made.body.link, { redirect: 'manual', headers: { 'user-agent': PERSON } });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('location'), `${stack.demoOrigin}/?utm=x&pv_share=${made.body.code}#avis`);
    const [row] = await stack.query(`SELECT clicks FROM share_links WHERE code = '${made.body.code}'`);
    assert.equal(row.clicks, 1);
    const unknown = await fetch(`${stack.worker.origin}/s/000000000000`, { redirect: 'manual' });
    assert.equal(unknown.status, 404);
  });

  test('a link to a page off the site is refused: never an open redirect', async () => {
    for (const url of ['https://evil.example/', `${stack.demoOrigin}@evil.example/`, 'javascript:alert(1)', `https://evil.example/?next=${stack.demoOrigin}`]) {
      const response = await share(newId(), url);
      assert.equal(response.status, 422, url);
      assert.equal(response.body.error.field, 'url');
    }
    assert.equal((await stack.query("SELECT COUNT(*) AS n FROM share_links WHERE url LIKE '%evil%'"))[0].n, 0);
  });
});

describe('visits', () => {
  test('another visitor counts once a day; the same visitor again, the sharer and robots do not', async () => {
    await clearOfUtcMidnight();
    const sharer = newId();
    const { body: link } = await share(sharer);
    const friend = newId();
    assert.deepEqual((await visit(link.code, friend)).body, { counted: true, outcome: 'counted', points: 50 });
    assert.equal((await visit(link.code, friend)).body.outcome, 'already_counted');
    assert.equal((await visit(link.code, sharer)).body.outcome, 'own_link');
    assert.equal((await visit(link.code, newId(), 'Mozilla/5.0 (compatible; Googlebot/2.1)')).body.outcome, 'bot');
    assert.equal((await visit(link.code, newId(), 'WhatsApp/2.23.20.0')).body.outcome, 'bot');
    assert.equal(await balance(sharer), 5 + 50, 'the share and one counted visit');
    const entries = await stack.query(`SELECT reason, points FROM ledger WHERE account = 'visitor:${sharer}' ORDER BY id`);
    assert.deepEqual(entries, [{ reason: 'share', points: 5 }, { reason: 'visit', points: 50 }]);
  });

  test('visits over the link\u2019s daily cap are recorded but earn nothing', async () => {
    await clearOfUtcMidnight();
    const sharer = newId();
    const { body: link } = await share(sharer);
    const outcomes = [];
    for (let index = 0; index < 21; index++) outcomes.push((await visit(link.code, newId())).body.outcome);
    assert.equal(outcomes.filter((outcome) => outcome === 'counted').length, 20);
    assert.equal(outcomes.at(-1), 'daily_cap');
    assert.equal(await balance(sharer), 5 + 20 * 50);
  });

  test('a sharer who signs in takes their points and links along', async () => {
    const sharer = newId();
    const { body: link } = await share(sharer);
    await visit(link.code, newId());
    const token = stack.customerToken('customer-share-1');
    assert.equal(await balance(sharer, token), 55);
    assert.equal(await balance(sharer), 0);
    await visit(link.code, newId());
    assert.equal(await balance(sharer, token), 105, 'later visits go to the customer');
  });
});

describe('the brand', () => {
  test('sees advocates by level and adjusts points by hand, once per key', async () => {
    const token = stack.customerToken('customer-ladder-1');
    const { body: link } = await share(newId(), `${stack.demoOrigin}/`, { customer_token: token });
    await visit(link.code, newId());
    const list = await stack.admin('/advocates?level=5');
    const advocate = list.body.advocates.find((listed) => listed.customer_id === 'customer-ladder-1');
    assert.equal(advocate.level, 5);
    assert.equal(advocate.points, 55);
    assert.ok(list.body.levels['5'] >= 1);

    const adjustment = { customer_id: 'customer-ladder-1', points: -25, reason: 'Bon d’achat utilisé', idempotency_key: newId() };
    const first = await stack.admin('/points/adjust', { method: 'POST', body: adjustment });
    const again = await stack.admin('/points/adjust', { method: 'POST', body: adjustment });
    assert.equal(first.body.balance, 30);
    assert.deepEqual(again.body, first.body);
    assert.equal((await stack.admin('/points/adjust', { method: 'POST', body: { ...adjustment, points: 0, idempotency_key: newId() } })).body.error.field, 'points');
    for (const path of ['/advocates', '/points/adjust', '/panel']) {
      const response = await call(path, { method: path === '/advocates' ? 'GET' : 'POST', origin: null, body: path === '/advocates' ? undefined : {} });
      assert.equal(response.status, 401, path);
    }
  });
});

describe('refusals', () => {
  test('wrong types, missing fields, oversized bodies, unknown sites and hostile strings store nothing', async () => {
    const before = (await stack.query('SELECT (SELECT COUNT(*) FROM share_links) AS links, (SELECT COUNT(*) FROM ledger) AS entries'))[0];
    for (const [body, field] of [
      [{ url: 42, visitor_id: newId() }, 'url'],
      [{ visitor_id: newId() }, 'url'],
      [{ url: `${stack.demoOrigin}/` }, 'visitor_id'],
      [{ url: `${stack.demoOrigin}/`, visitor_id: "x' OR 1=1 --" }, 'visitor_id'],
      [{ url: `${stack.demoOrigin}/<script>alert(1)</script>`, visitor_id: newId() }, 'url'],
      [{ url: `${stack.demoOrigin}/`, visitor_id: newId(), points: 1000 }, 'points'],
    ]) {
      const response = await call('/shares', { method: 'POST', body });
      assert.equal(response.status, 422, JSON.stringify(body));
      assert.equal(response.body.error.field, field);
    }
    assert.equal((await call('/shares', { method: 'POST', raw: JSON.stringify({ url: 'x'.repeat(20000) }) })).status, 413);
    assert.equal((await call('/shares', { method: 'POST', body: { url: `${stack.demoOrigin}/`, visitor_id: newId() }, site: 'nobody' })).status, 404);
    assert.equal((await call('/shares', { method: 'POST', body: { url: `${stack.demoOrigin}/`, visitor_id: newId() }, origin: 'https://evil.example' })).status, 403);
    assert.equal((await visit('000000000000', newId())).body.error.code, 'unknown_share');
    assert.equal((await call('/me/points')).body.error.field, 'visitor_id');
    assert.equal((await call(`/me/points?visitor_id=${newId()}`, { authorization: 'Customer v1.e30.c2ln' })).body.error.code, 'invalid_customer_token');
    const after = (await stack.query('SELECT (SELECT COUNT(*) FROM share_links) AS links, (SELECT COUNT(*) FROM ledger) AS entries'))[0];
    assert.deepEqual(after, before);
  });
});
