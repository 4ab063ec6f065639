// The bad-input corpus (tests/corpus/requests.json): hundreds of hostile requests across
// every route. Each must get a 4xx with the error JSON for its own fault (never merely
// rate limited), and the database must be exactly as it was before.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { startStack } from './support.mjs';

const { requests } = JSON.parse(readFileSync(new URL('corpus/requests.json', import.meta.url), 'utf8'));
let stack;

before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

/** Everything the corpus could change, in one comparable value. */
const fingerprint = async () =>
  (await stack.query(
    `SELECT (SELECT COUNT(*) FROM nps_answers) AS answers,
            (SELECT group_concat(id || COALESCE(handled_at, ''), ',') FROM nps_answers) AS handled,
            (SELECT group_concat(day_ms || total || promoters || detractors, ',') FROM nps_days) AS days,
            (SELECT group_concat(id || url || events || active, ',') FROM webhook_subscriptions) AS webhooks,
            (SELECT COUNT(*) FROM webhook_deliveries) AS deliveries,
            (SELECT COUNT(*) FROM erasures) AS erasures,
            (SELECT group_concat(id || score || COALESCE(comment, ''), ',') FROM nps_answers) AS answer_rows,
            (SELECT group_concat(id || status || rating || body || helpful_count || COALESCE(reply, ''), ',') FROM reviews) AS review_rows,
            (SELECT COUNT(*) FROM review_votes) AS votes,
            (SELECT group_concat(product_id || review_count || rating_sum, ',') FROM review_aggregates) AS aggregates,
            (SELECT group_concat(id || status || body || answer_count || helpful_total, ',') FROM questions) AS question_rows,
            (SELECT group_concat(id || status || body || badge || helpful_count, ',') FROM answers) AS answer_rows_qa,
            (SELECT COUNT(*) FROM answer_votes) AS answer_votes,
            (SELECT COUNT(*) FROM mail_outbox) AS mails,
            (SELECT group_concat(code || sharer || url || clicks, ',') FROM share_links) AS links,
            (SELECT COUNT(*) FROM share_visits) AS visits,
            (SELECT group_concat(account || points || reason, ',') FROM ledger) AS ledger_rows,
            (SELECT COUNT(*) FROM identities) AS identities,
            (SELECT COUNT(*) FROM panel_members) AS panel,
            (SELECT group_concat(code || advocate || conversions, ',') FROM referrals) AS referrals,
            (SELECT COUNT(*) FROM referral_invitations) AS invitations,
            (SELECT COUNT(*) FROM referral_visits) AS referral_visits,
            (SELECT COUNT(*) FROM conversions) AS conversions,
            (SELECT group_concat(id || name || allowed_origins || admin_token_sha256 || config, ',') FROM sites) AS site_rows`,
  ))[0];

function fill(text) {
  return text
    .replaceAll('{site}', stack.site)
    .replaceAll('{origin}', stack.demoOrigin)
    .replaceAll('{token}', stack.adminToken)
    .replaceAll('{worker}', stack.worker.origin)
    // A fresh visitor per request, so that no case is merely rate limited.
    .replaceAll('visitor-corpus-0001', `visitor-${randomUUID()}`);
}

function bodyOf(request) {
  if (request.body_base64 !== undefined) return Buffer.from(request.body_base64, 'base64');
  if (request.body_repeat) {
    const { prefix, fill: character, size, suffix } = request.body_repeat;
    return prefix + character.repeat(size) + suffix;
  }
  return request.body === undefined ? undefined : fill(request.body);
}

describe('bad-input corpus', () => {
  test('holds at least 200 hostile requests', () => {
    assert.ok(requests.length >= 200, `${requests.length} requests`);
  });

  test('every request gets a 4xx with the error JSON and changes nothing', async () => {
    const before = await fingerprint();
    const failures = [];
    for (const [index, request] of requests.entries()) {
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, fill(value)]));
      // Each from its own address too, as from many visitors: the per-address limits
      // would otherwise refuse the later cases before their own checks are reached.
      headers['cf-connecting-ip'] ??= `198.18.${index >> 8}.${index & 255}`;
      const response = await fetch(`${stack.worker.origin}${fill(request.path)}`, {
        method: request.method,
        headers,
        body: bodyOf(request),
      });
      const text = await response.text();
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const ok =
        response.status >= 400 &&
        response.status < 500 &&
        typeof body?.error?.code === 'string' &&
        typeof body?.error?.message === 'string' &&
        body.error.code !== 'rate_limited';
      if (!ok) failures.push(`${request.name}: ${response.status} ${text.slice(0, 120)}`);
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(await fingerprint(), before, 'the database changed');
  });
});
