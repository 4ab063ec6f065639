// Webhooks end to end on workerd and D1: a receiver started here subscribes to every
// event; the events happen through the public and admin API; the worker's cron (run
// through wrangler's /__scheduled) delivers each exactly once, signed as Standard
// Webhooks describes, although the receiver fails the first two deliveries it gets; and
// a rotated secret signs beside the old one.
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startStack } from './support.mjs';

const PERSON = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
let stack;
let receiver;
const received = [];

before(async () => {
  stack = await startStack();
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ path: request.url, headers: request.headers, body });
      // A receiver that is down for its first two calls.
      response.writeHead(received.length <= 2 ? 500 : 204).end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  receiver?.close();
  await stack?.stop();
});

async function publicCall(path, body) {
  const response = await fetch(`${stack.api}${path}`, {
    method: 'POST',
    headers: { origin: stack.demoOrigin, 'content-type': 'application/json', 'user-agent': PERSON },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

const runCron = async () => {
  const response = await fetch(`${stack.worker.origin}/__scheduled?cron=*+*+*+*+*`);
  assert.equal(response.status, 200);
};

function verified({ headers, body }, secret) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`;
  const expected = `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
  return headers['webhook-signature'].split(' ').includes(expected);
}

describe('webhooks', () => {
  test('every event reaches the receiver once, signed, after it failed the first two deliveries', async () => {
    const { status, body: created } = await stack.admin('/webhooks', {
      method: 'POST',
      body: {
        url: `http://127.0.0.1:${receiver.address().port}/portevoix`,
        events: ['nps.created', 'review.published', 'question.published', 'question.answered', 'share.visited', 'referral.converted'],
      },
    });
    assert.equal(status, 201);
    assert.match(created.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
    const { body: listed } = await stack.admin('/webhooks');
    assert.equal(listed.subscriptions[0].secret, undefined, 'the secret is shown once');

    const visitor = () => `visitor-${randomUUID()}`;
    await publicCall('/nps', { score: 10, comment: 'Parfait', visitor_id: visitor(), idempotency_key: randomUUID(), elapsed_ms: 9000 });
    const review = await publicCall('/products/bivouac-2/reviews', {
      rating: 5, title: 'Sèche', text: 'Aucune goutte après une nuit de pluie.', author_name: 'Lou',
      visitor_id: visitor(), idempotency_key: randomUUID(), elapsed_ms: 30000,
    });
    await stack.admin(`/reviews/${review.id}/moderation`, { method: 'POST', body: { decision: 'publish' } });
    const question = await publicCall('/products/bivouac-2/questions', {
      text: 'Le double toit est-il traité anti-UV ?', author_name: 'Sam',
      visitor_id: visitor(), idempotency_key: randomUUID(), elapsed_ms: 30000,
    });
    await stack.admin(`/questions/${question.id}/moderation`, { method: 'POST', body: { decision: 'publish' } });
    await stack.admin(`/questions/${question.id}/answers`, { method: 'POST', body: { text: 'Oui, UPF 50.', idempotency_key: randomUUID() } });
    const link = await publicCall('/shares', { url: `${stack.demoOrigin}/`, visitor_id: visitor() });
    await publicCall(`/shares/${link.code}/visits`, { visitor_id: visitor() });
    await stack.admin(`/webhooks/${created.id}/test`, { method: 'POST' });

    const expected = ['nps.created', 'review.published', 'question.published', 'question.answered', 'share.visited', 'webhook.test'];
    const accepted = () => received.slice(2);
    const deadline = Date.now() + 60_000;
    while (accepted().length < expected.length && Date.now() < deadline) {
      await runCron();
      await new Promise((resolve) => setTimeout(resolve, 1_200));
    }
    await runCron();

    assert.equal(received.length, expected.length + 2, 'each event once, plus the two failed attempts');
    assert.deepEqual(accepted().map(({ body }) => JSON.parse(body).type).sort(), [...expected].sort());
    const ids = accepted().map(({ headers }) => headers['webhook-id']);
    assert.equal(new Set(ids).size, expected.length, 'distinct webhook-ids');
    for (const failed of received.slice(0, 2)) {
      assert.ok(ids.includes(failed.headers['webhook-id']), 'a failed delivery is retried under the same id');
    }
    for (const delivery of received) assert.ok(verified(delivery, created.secret), 'a valid signature');
    const nps = JSON.parse(accepted().find(({ body }) => JSON.parse(body).type === 'nps.created').body);
    assert.equal(nps.data.score, 10);
    assert.match(nps.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const asked = JSON.parse(accepted().find(({ body }) => JSON.parse(body).type === 'question.published').body);
    assert.deepEqual([asked.data.id, asked.data.product, asked.data.text], [question.id, 'bivouac-2', 'Le double toit est-il traité anti-UV ?']);

    const { body: log } = await stack.admin(`/webhooks/${created.id}/deliveries`);
    assert.equal(log.deliveries.length, expected.length);
    assert.ok(log.deliveries.every((delivery) => delivery.delivered_at && delivery.next_attempt_at === null));
    assert.equal(log.deliveries.filter((delivery) => delivery.attempts === 2).length, 2);
  });

  test('a rotated secret signs the next delivery at once, and the old one beside it', async () => {
    const { body: created } = await stack.admin('/webhooks', {
      method: 'POST',
      body: { url: `http://127.0.0.1:${receiver.address().port}/rotated`, events: ['nps.created'] },
    });
    const { status, body: rotated } = await stack.admin(`/webhooks/${created.id}/rotate-secret`, { method: 'POST' });
    assert.equal(status, 200);
    assert.match(rotated.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
    assert.notEqual(rotated.secret, created.secret);
    await stack.admin(`/webhooks/${created.id}/test`, { method: 'POST' });
    const mine = () => received.filter((delivery) => delivery.path === '/rotated');
    const deadline = Date.now() + 30_000;
    while (mine().length === 0 && Date.now() < deadline) {
      await runCron();
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const [delivery] = mine();
    assert.ok(delivery, 'delivered');
    assert.equal(delivery.headers['webhook-signature'].split(' ').length, 2, 'two signatures for a day');
    assert.ok(verified(delivery, rotated.secret), 'the new secret verifies');
    assert.ok(verified(delivery, created.secret), 'the old one still does');
  });

  test('a subscription sent again with its idempotency key is made once, and answered with its secret', async () => {
    const subscribe = (url) =>
      stack.admin('/webhooks', { method: 'POST', body: { url, events: ['review.published'], idempotency_key: 'subscribe-again-1' } });
    const first = await subscribe('https://hooks.example/again');
    const again = await subscribe('https://hooks.example/again');
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.deepEqual(again, first);
    assert.match(first.body.secret, /^whsec_/);
    assert.deepEqual(await stack.query("SELECT COUNT(*) AS n FROM webhook_subscriptions WHERE idempotency_key = 'subscribe-again-1'"), [{ n: 1 }]);
    const other = await subscribe('https://hooks.example/other');
    assert.equal(other.status, 422);
    assert.equal(other.body.error.field, 'idempotency_key');
    await stack.admin(`/webhooks/${first.body.id}/delete`, { method: 'POST' });
  });

  test('a rotation or a test event sent again with its idempotency key is made once', async () => {
    const { body: created } = await stack.admin('/webhooks', {
      method: 'POST',
      body: { url: 'https://hooks.example/actions-again', events: ['nps.created'] },
    });
    const rotate = (key = 'rotate-again-1') => stack.admin(`/webhooks/${created.id}/rotate-secret`, { method: 'POST', body: { idempotency_key: key } });
    const first = await rotate();
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(await rotate(), first, 'the same answer, with the same new secret');
    assert.deepEqual(await stack.query(`SELECT secret, previous_secret FROM webhook_subscriptions WHERE id = '${created.id}'`), [
      { secret: first.body.secret, previous_secret: created.secret },
    ]);
    // A later rotation, then the first one sent again: it rotates nothing.
    const later = await rotate('rotate-again-2');
    assert.notEqual(later.body.secret, first.body.secret);
    assert.deepEqual(await rotate(), later, 'answered with the current secret');
    assert.deepEqual(await stack.query(`SELECT secret, previous_secret FROM webhook_subscriptions WHERE id = '${created.id}'`), [
      { secret: later.body.secret, previous_secret: first.body.secret },
    ]);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const { status } = await stack.admin(`/webhooks/${created.id}/test`, { method: 'POST', body: { idempotency_key: 'test-again-1' } });
      assert.equal(status, 204);
    }
    assert.deepEqual(await stack.query(`SELECT COUNT(*) AS n FROM webhook_deliveries WHERE subscription_id = '${created.id}'`), [{ n: 1 }]);
    await stack.admin(`/webhooks/${created.id}/delete`, { method: 'POST' });
  });

  test('a rotation or a test event refuses bad input and other sites, and changes nothing', async () => {
    const { body: created } = await stack.admin('/webhooks', {
      method: 'POST',
      body: { url: 'https://hooks.example/actions-refused', events: ['nps.created'] },
    });
    const state = () => stack.query(`SELECT secret, (SELECT COUNT(*) FROM webhook_deliveries WHERE subscription_id = s.id) AS queued FROM webhook_subscriptions s WHERE id = '${created.id}'`);
    const before = await state();
    const cases = [
      [{ idempotency_key: 42 }, 422],
      [{ idempotency_key: ['rotate-key-01'] }, 422],
      [{ idempotency_key: 'short' }, 422],
      [{ idempotency_key: "'; DROP TABLE webhook_subscriptions; --" }, 422],
      [{ idempotency_key: '<script>alert(1)</script>' }, 422],
      [{ idempotency_key: 'rotate-key-01', secret: 'whsec_chosen' }, 422],
      ['null', 400],
      ['{"idempotency_key":', 400],
      [JSON.stringify({ idempotency_key: 'k'.repeat(70_000) }), 413],
    ];
    for (const action of ['rotate-secret', 'test']) {
      for (const [body, status] of cases) {
        const response = await fetch(`${stack.api}/webhooks/${created.id}/${action}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        });
        assert.equal(response.status, status, `${action} ${JSON.stringify(body).slice(0, 80)}`);
        assert.ok((await response.json()).error.message, 'a clear error');
      }
      const wrongType = await fetch(`${stack.api}/webhooks/${created.id}/${action}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'text/plain' },
        body: '{"idempotency_key":"rotate-key-01"}',
      });
      assert.equal(wrongType.status, 415);
      const otherSite = await fetch(`${stack.worker.origin}/v1/sites/cairn-nuit/webhooks/${created.id}/${action}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
        body: '{"idempotency_key":"rotate-key-01"}',
      });
      assert.equal(otherSite.status, 404, "another site does not know this site's subscription");
      const unknownSite = await fetch(`${stack.worker.origin}/v1/sites/nowhere/webhooks/${created.id}/${action}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
        body: '{"idempotency_key":"rotate-key-01"}',
      });
      assert.equal(unknownSite.status, 404);
    }
    assert.deepEqual(await state(), before, 'no secret rotated, no test queued');
    await stack.admin(`/webhooks/${created.id}/delete`, { method: 'POST' });
  });

  test('subscriptions refuse bad input and other sites', async () => {
    const post = (body, headers = {}) =>
      fetch(`${stack.api}/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const cases = [
      [{ url: 'http://hooks.example/', events: ['nps.created'] }, 422],
      [{ url: 'https://hooks.example/', events: ['nps.deleted'] }, 422],
      [{ url: 'https://hooks.example/', events: [] }, 422],
      [{ url: 'https://hooks.example/', events: 'nps.created' }, 422],
      [{ url: 42, events: ['nps.created'] }, 422],
      [{ events: ['nps.created'] }, 422],
      [{ url: 'javascript:alert(1)', events: ['nps.created'] }, 422],
      ['{"url":', 400],
      [JSON.stringify({ url: `https://hooks.example/${'a'.repeat(20_000)}`, events: ['nps.created'] }), 413],
      ...[42, 'short', 'k'.repeat(129), "'; DROP TABLE webhook_subscriptions; --", '<script>alert(1)</script>'].map((key) => [
        { url: 'https://hooks.example/', events: ['nps.created'], idempotency_key: key },
        422,
      ]),
    ];
    const stored = async () => (await stack.query("SELECT COUNT(*) AS n FROM webhook_subscriptions WHERE site_id = 'cairn'"))[0].n;
    const before = await stored();
    for (const [body, status] of cases) {
      const response = await post(body);
      assert.equal(response.status, status, JSON.stringify(body).slice(0, 80));
    }
    assert.equal(await stored(), before, 'nothing refused was stored');
    assert.equal((await post({ url: 'https://hooks.example/', events: ['nps.created'] }, { authorization: 'Bearer nope' })).status, 401);
    const otherSite = await fetch(`${stack.worker.origin}/v1/sites/cairn-nuit/webhooks`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(otherSite.status, 401);
  });
});
