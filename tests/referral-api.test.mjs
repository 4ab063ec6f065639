// Referrals over HTTP on workerd with a fresh local D1: from an advocate's code to a
// friend's landing to the brand server's signed conversion and both balances, each fraud
// case, invitations through the mail outbox, and the refusals.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
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
const sha256 = (email) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

async function call(path, { method = 'GET', body, raw, origin = stack.demoOrigin, headers = {}, site = stack.site } = {}) {
  const all = { 'user-agent': PERSON, ...headers };
  if (origin) all.origin = origin;
  if (method === 'POST') all['content-type'] ??= 'application/json';
  const response = await fetch(`${stack.worker.origin}/v1/sites/${site}${path}`, {
    method,
    headers: all,
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    redirect: 'manual',
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** What a brand's server does: sign the body with the site secret and a timestamp. */
function conversion(body, { secret = stack.customerSecret, at = Math.floor(Date.now() / 1000) } = {}) {
  const raw = JSON.stringify(body);
  const signature = createHmac('sha256', secret).update(`${at}.${raw}`).digest('hex');
  return call('/conversions', { method: 'POST', raw, origin: null, headers: { 'portevoix-signature': `t=${at},v1=${signature}` } });
}

const join = async (visitor_id, email, name = 'Camille Martin') =>
  (await call('/referrals', { method: 'POST', body: { visitor_id, name, email, consent: true } })).body;
const order = (code, buyer, overrides = {}) => ({
  order_id: `A-${newId().slice(0, 8)}`,
  referral_code: code,
  buyer_email_sha256: sha256(buyer),
  amount_cents: 18900,
  currency: 'EUR',
  ...overrides,
});
const ledger = async (account) => (await stack.query(`SELECT COALESCE(SUM(points), 0) AS points FROM ledger WHERE account = '${account}'`))[0].points;

describe('the referral path', () => {
  test('an advocate\u2019s link lands a friend who orders; the signed conversion credits both once', async () => {
    const advocate = newId();
    const card = await join(advocate, 'camille@cairn.example');
    assert.match(card.code, /^[0-9A-F]{10}$/);
    assert.equal(card.link, `${stack.worker.origin}/r/${card.code}`);
    assert.equal(card.friend_offer, '10 € de remise sur la première commande');

    const landing = await fetch(card.link, { redirect: 'manual', headers: { 'user-agent': PERSON } });
    assert.equal(landing.status, 302);
    assert.equal(landing.headers.get('location'), `${stack.demoOrigin}/?pv_ref=${card.code}`);
    const friend = newId();
    assert.equal((await call(`/referrals/${card.code}/visits`, { method: 'POST', body: { visitor_id: friend } })).body.outcome, 'counted');
    const offer = (await call(`/referrals/${card.code}/offer`)).body;
    assert.equal(offer.advocate_first_name, 'Camille');

    const report = order(card.code, 'dominique@cairn.example', { buyer_customer_id: 'dominique' });
    const first = await conversion(report);
    assert.equal(first.status, 201);
    assert.deepEqual(
      [first.body.outcome, first.body.credited, first.body.advocate_points, first.body.friend_points, first.body.replayed],
      ['credited', true, 500, 200, false],
    );
    const again = await conversion(report);
    assert.equal(again.status, 200);
    assert.equal(again.body.replayed, true);
    assert.equal(await ledger(`visitor:${advocate}`), 500, 'the same order credits once');
    assert.equal(await ledger('customer:dominique'), 200);
    const mine = (await call(`/referrals/mine?visitor_id=${advocate}`)).body;
    assert.deepEqual([mine.stats.visited, mine.stats.converted, mine.stats.rewards], [1, 1, 500]);
  });

  test('each fraud rule credits nothing', async () => {
    const advocate = newId();
    const card = await join(advocate, 'sacha@cairn.example', 'Sacha');
    assert.equal((await conversion(order(card.code, ' Sacha@Cairn.example '))).body.outcome, 'self_referral');
    assert.equal((await conversion(order('ABCDEF0123', 'x@cairn.example'))).body.outcome, 'unknown_code');
    // The demo site allows 20 conversions per code: the 21st is refused.
    for (let index = 0; index < 20; index++) {
      assert.equal((await conversion(order(card.code, `friend-${index}@x.example`))).body.outcome, 'credited');
    }
    assert.equal((await conversion(order(card.code, 'one-more@x.example'))).body.outcome, 'code_exhausted');
    await stack.write(`UPDATE referrals SET expires_at = 0, conversions = 0 WHERE code = '${card.code}' RETURNING code`);
    assert.equal((await conversion(order(card.code, 'late@x.example'))).body.outcome, 'code_expired');
    assert.equal(await ledger(`visitor:${advocate}`), 20 * 500);
  });

  test('a bad signature or a stale timestamp is refused with 401 and records nothing', async () => {
    const card = await join(newId(), 'lou@cairn.example', 'Lou');
    const report = order(card.code, 'friend@x.example');
    const forged = await conversion(report, { secret: 'not the site secret' });
    assert.deepEqual([forged.status, forged.body.error.code], [401, 'invalid_signature']);
    const stale = await conversion(report, { at: Math.floor(Date.now() / 1000) - 600 });
    assert.deepEqual([stale.status, stale.body.error.code], [401, 'stale_signature']);
    const unsigned = await call('/conversions', { method: 'POST', body: report, origin: null });
    assert.equal(unsigned.status, 401);
    assert.equal((await stack.query(`SELECT COUNT(*) AS n FROM conversions WHERE order_id = '${report.order_id}'`))[0].n, 0);
  });
});

describe('invitations', () => {
  test('go to the mail outbox, five at a time, within the daily allowance', async () => {
    await clearOfUtcMidnight();
    const advocate = newId();
    const card = await join(advocate, 'noa@cairn.example', 'Noa');
    const invite = (emails) => call(`/referrals/${card.code}/invitations`, { method: 'POST', body: { visitor_id: advocate, emails } });
    const batches = [0, 1, 2, 3].map((batch) => [0, 1, 2, 3, 4].map((index) => `friend-${batch}-${index}@x.example`));
    for (const batch of batches) assert.equal((await invite(batch)).body.invited, 5);
    const over = await invite(['one-more@x.example']);
    assert.deepEqual([over.status, over.body.error.code], [429, 'invitations_exhausted']);
    const renewsIn = Number(over.headers.get('retry-after'));
    assert.ok(renewsIn > 0 && renewsIn <= 86_400, `Retry-After: ${renewsIn}, until UTC midnight`);
    assert.equal((await invite(['a@x.example', 'b@x.example', 'c@x.example', 'd@x.example', 'e@x.example', 'f@x.example'])).body.error.field, 'emails');
    const mails = await stack.query(`SELECT recipient, body FROM mail_outbox WHERE template = 'referral_invitation' AND recipient LIKE 'friend-0-%'`);
    assert.equal(mails.length, 5);
    assert.ok(mails[0].body.includes(card.link));
    const stranger = await call(`/referrals/${card.code}/invitations`, { method: 'POST', body: { visitor_id: newId(), emails: ['x@x.example'] } });
    assert.equal(stranger.body.error.code, 'unknown_referral');
  });

  test('mail a friend named twice, or invited before, once', async () => {
    await clearOfUtcMidnight();
    const advocate = newId();
    const card = await join(advocate, 'lou@cairn.example', 'Lou');
    const invite = (emails) => call(`/referrals/${card.code}/invitations`, { method: 'POST', body: { visitor_id: advocate, emails } });
    const friend = `twice-${advocate}@x.example`;
    const other = `other-${advocate}@x.example`;
    const first = (await invite([friend, friend])).body;
    assert.deepEqual([first.invited, first.already_invited], [1, 1]);
    const second = (await invite([other, friend])).body;
    assert.deepEqual([second.invited, second.already_invited], [1, 1]);
    const mails = await stack.query(`SELECT recipient FROM mail_outbox WHERE recipient IN ('${friend}', '${other}') ORDER BY id`);
    assert.deepEqual(mails.map((mail) => mail.recipient), [friend, other]);
  });
});

describe('the brand', () => {
  test('sees the referral funnel, to the admin only', async () => {
    const funnel = await stack.admin('/referrals');
    assert.equal(funnel.status, 200);
    assert.ok(funnel.body.totals.links >= 3);
    assert.ok(funnel.body.totals.converted >= 21);
    assert.ok(funnel.body.totals.refused >= 4);
    assert.ok(funnel.body.totals.revenue_cents >= 21 * 18900);
    assert.equal((await call('/referrals', { origin: null })).status, 401);
  });
});

describe('refusals', () => {
  test('wrong types, missing fields, oversized bodies, unknown sites and hostile strings store nothing', async () => {
    const before = (await stack.query('SELECT (SELECT COUNT(*) FROM referrals) AS referrals, (SELECT COUNT(*) FROM conversions) AS conversions'))[0];
    for (const [body, field] of [
      [{ visitor_id: newId(), email: 'c@x.example', consent: true }, 'name'],
      [{ visitor_id: newId(), name: 'C', email: 'nope', consent: true }, 'email'],
      [{ visitor_id: newId(), name: 'C', email: 'c@x.example' }, 'consent'],
      [{ visitor_id: newId(), name: 42, email: 'c@x.example', consent: true }, 'name'],
      [{ visitor_id: "x' OR 1=1", name: 'C', email: 'c@x.example', consent: true }, 'visitor_id'],
      [{ visitor_id: newId(), name: '<script>alert(1)</script>'.repeat(5), email: 'c@x.example', consent: true }, 'name'],
    ]) {
      const response = await call('/referrals', { method: 'POST', body });
      assert.equal(response.status, 422, JSON.stringify(body));
      assert.equal(response.body.error.field, field);
    }
    const card = await join(newId(), 'eve@cairn.example', 'Eve');
    for (const [overrides, field] of [
      [{ amount_cents: -1 }, 'amount_cents'],
      [{ currency: 'euros' }, 'currency'],
      [{ buyer_email_sha256: 'eve@x.example' }, 'buyer_email_sha256'],
      [{ referral_code: "'; DROP TABLE referrals; --" }, 'referral_code'],
    ]) {
      const response = await conversion(order(card.code, 'friend@x.example', overrides));
      assert.equal(response.status, 422, JSON.stringify(overrides));
      assert.equal(response.body.error.field, field);
    }
    assert.equal((await call('/referrals', { method: 'POST', raw: JSON.stringify({ name: 'x'.repeat(20000) }) })).status, 413);
    assert.equal((await call('/referrals', { method: 'POST', body: { visitor_id: newId() }, site: 'nobody' })).status, 404);
    assert.equal((await call('/referrals/ABCDEF0123/offer')).body.error.code, 'unknown_referral');
    const after = (await stack.query('SELECT (SELECT COUNT(*) FROM referrals) AS referrals, (SELECT COUNT(*) FROM conversions) AS conversions'))[0];
    assert.deepEqual(after, { referrals: before.referrals + 1, conversions: before.conversions });
  });
});
