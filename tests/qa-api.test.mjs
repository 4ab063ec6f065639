// The Q&A routes over HTTP on workerd with a fresh local D1: ask, answer as a buyer, a
// customer, the brand and anonymously (refused, then allowed), helpful once, search,
// moderation, top answerers, and the refusals, checked against what D1 holds.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { upsertSite } from '../scripts/sites.mjs';
import { newId, startStack } from './support.mjs';

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

const product = 'bivouac-2';

const question = (overrides = {}) => {
  const idempotency_key = newId();
  return {
    text: `Tient-elle un vent de 80 km/h en crête ? (${idempotency_key})`,
    author_name: 'Alex',
    visitor_id: newId(),
    idempotency_key,
    elapsed_ms: 12000,
    ...overrides,
  };
};

const answer = (overrides = {}) => {
  const idempotency_key = newId();
  return {
    text: `Oui, testée au col du Galibier (${idempotency_key}).`,
    author_name: 'Camille',
    visitor_id: newId(),
    idempotency_key,
    elapsed_ms: 9000,
    ...overrides,
  };
};

async function call(path, { method = 'GET', body, raw, origin = stack.demoOrigin, site = stack.site } = {}) {
  const headers = {};
  if (origin) headers.origin = origin;
  if (method === 'POST') headers['content-type'] = 'application/json';
  const response = await fetch(`${stack.worker.origin}/v1/sites/${site}${path}`, {
    method,
    headers,
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const ask = (body, sku = product, site = stack.site) => call(`/products/${sku}/questions`, { method: 'POST', body, site });
const reply = (questionId, body, sku = product, site = stack.site) =>
  call(`/products/${sku}/questions/${questionId}/answers`, { method: 'POST', body, site });
const list = (query = '', sku = product) => call(`/products/${sku}/questions${query}`);
const buyerToken = (customer = 'customer-1') => stack.customerToken(customer, 600, undefined, [{ id: 'A-1', products: [product] }]);

async function publishedQuestion(overrides = {}) {
  const asked = await ask(question(overrides));
  assert.equal(asked.status, 201);
  assert.equal(asked.body.status, 'pending');
  const published = await stack.admin(`/questions/${asked.body.id}/moderation`, { method: 'POST', body: { decision: 'publish' } });
  assert.equal(published.status, 200);
  return asked.body.id;
}

describe('asking and answering', () => {
  test('a question waits for moderation; a buyer, a customer and the brand answer with their badges', async () => {
    const asked = await ask(question());
    assert.equal((await list()).body.questions.some((listed) => listed.id === asked.body.id), false);
    const queue = await stack.admin('/questions?status=pending');
    assert.ok(queue.body.questions.some((pending) => pending.id === asked.body.id));
    await stack.admin(`/questions/${asked.body.id}/moderation`, { method: 'POST', body: { decision: 'publish' } });

    const buyer = await reply(asked.body.id, answer({ customer_token: buyerToken() }));
    assert.equal(buyer.status, 201);
    assert.deepEqual([buyer.body.badge, buyer.body.status], ['verified_buyer', 'published']);
    const otherToken = stack.customerToken('customer-2', 600, undefined, [{ id: 'A-2', products: ['stove'] }]);
    const customer = await reply(asked.body.id, answer({ customer_token: otherToken }));
    assert.equal(customer.body.badge, 'customer');
    const brand = await stack.admin(`/questions/${asked.body.id}/answers`, {
      method: 'POST',
      body: { text: 'Oui : arceaux DAC, testée en soufflerie.', idempotency_key: newId() },
    });
    assert.equal(brand.status, 201);
    assert.equal(brand.body.badge, 'brand');

    const shown = (await list()).body.questions.find((listed) => listed.id === asked.body.id);
    assert.deepEqual(shown.answers.map((shownAnswer) => shownAnswer.badge).sort(), ['brand', 'customer', 'verified_buyer']);
    assert.equal(shown.answers.find((shownAnswer) => shownAnswer.badge === 'brand').author_name, 'Cairn');
    const [row] = await stack.query(`SELECT answer_count FROM questions WHERE id = '${asked.body.id}'`);
    assert.equal(row.answer_count, 3);
  });

  test('anonymous answers are refused where the site takes none, and wait for moderation where it does', async () => {
    const questionId = await publishedQuestion();
    const refused = await reply(questionId, answer());
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'customer_token_required');

    await upsertSite(
      { id: 'cairn-open', name: 'Cairn', allowed_origins: [stack.demoOrigin], config: { qa: { allow_anonymous_answers: true } } },
      { state: stack.state },
      { adminToken: stack.adminToken, customerSecret: 'open-secret', quiet: true },
    );
    const config = (await call('/config', { site: 'cairn-open' })).body;
    assert.equal(config.anonymous_answers, true);
    const asked = await ask(question(), product, 'cairn-open');
    const publish = await fetch(`${stack.worker.origin}/v1/sites/cairn-open/questions/${asked.body.id}/moderation`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'publish' }),
    });
    assert.equal(publish.status, 200);
    const anonymous = await reply(asked.body.id, answer(), product, 'cairn-open');
    assert.equal(anonymous.status, 201);
    assert.deepEqual([anonymous.body.badge, anonymous.body.status], ['anonymous', 'pending']);
  });

  test('only published questions of the product can be answered; a retry stores nothing new', async () => {
    const pending = await ask(question());
    const early = await reply(pending.body.id, answer({ customer_token: buyerToken() }));
    assert.equal(early.status, 404);
    assert.equal(early.body.error.code, 'unknown_question');
    const questionId = await publishedQuestion();
    const elsewhere = await reply(questionId, answer({ customer_token: buyerToken() }), 'stove');
    assert.equal(elsewhere.status, 404);
    const body = answer({ customer_token: buyerToken() });
    const first = await reply(questionId, body);
    const again = await reply(questionId, body);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    assert.equal((await stack.query(`SELECT COUNT(*) AS n FROM answers WHERE question_id = '${questionId}'`))[0].n, 1);
  });
});

describe('reading', () => {
  test('helpful counts once per visitor and sorts answers and questions', async () => {
    const sku = 'lantern';
    const asked = await ask(question(), sku);
    await stack.admin(`/questions/${asked.body.id}/moderation`, { method: 'POST', body: { decision: 'publish' } });
    const token = stack.customerToken('customer-3', 600, undefined, [{ id: 'A-3', products: [sku] }]);
    const first = await reply(asked.body.id, answer({ customer_token: token }), sku);
    const second = await reply(asked.body.id, answer({ customer_token: token }), sku);
    const vote = (answerId, visitor_id) =>
      call(`/products/${sku}/answers/${answerId}/helpful`, { method: 'POST', body: { visitor_id } });
    const visitor = newId();
    assert.deepEqual((await vote(second.body.id, visitor)).body, { helpful_count: 1, counted: true });
    assert.deepEqual((await vote(second.body.id, visitor)).body, { helpful_count: 1, counted: false });
    const [shown] = (await list('', sku)).body.questions;
    assert.deepEqual(shown.answers.map((shownAnswer) => shownAnswer.id), [second.body.id, first.body.id]);
    assert.equal(shown.helpful_total, 1);
    assert.equal((await vote(newId().slice(0, 8), newId())).status, 404);
  });

  test('search finds the questions holding any word, those holding the most first', async () => {
    const sku = 'stove';
    const wind = await ask(question({ text: 'Le brûleur tient-il au vent ?' }), sku);
    const rain = await ask(question({ text: 'Peut-on cuisiner sous la tente ?' }), sku);
    await ask(question({ text: 'Le réchaud craint-il le vent ?' }), sku); // never published
    for (const id of [wind.body.id, rain.body.id]) {
      await stack.admin(`/questions/${id}/moderation`, { method: 'POST', body: { decision: 'publish' } });
    }
    const ids = async (q) => (await list(`?q=${encodeURIComponent(q)}`, sku)).body.questions.map((listed) => listed.id);
    assert.deepEqual(await ids('vent'), [wind.body.id]);
    assert.deepEqual(await ids('cuisiner tente'), [rain.body.id]);
    assert.deepEqual(await ids('tente vent cuisiner'), [rain.body.id, wind.body.id]);
    assert.deepEqual(await ids('orage'), []);
    // A word finds the words it starts, not those it sits in.
    assert.deepEqual(await ids('cuisin'), [rain.body.id]);
    assert.deepEqual(await ids('ent'), [], '"ent" is in "vent" and "tente" but starts no word');
    assert.deepEqual(await ids('on'), [rain.body.id], 'a word starts after a hyphen ("Peut-on")');
    // A question typed whole is searched by its three longest telling words.
    const whole = await list(`?q=${encodeURIComponent('Est-ce que le brûleur tient vraiment au vent ?')}`, sku);
    assert.equal(whole.body.q, 'bruleur tient vent');
    assert.deepEqual(whole.body.questions.map((listed) => listed.id), [wind.body.id]);
    // "the" tells nothing, but "thé" is a tea brand's product: its accent keeps it searched.
    const tea = await ask(question({ text: 'Ce thé se boit-il froid ?' }), 'kettle');
    await stack.admin(`/questions/${tea.body.id}/moderation`, { method: 'POST', body: { decision: 'publish' } });
    const teaSearch = await list(`?q=${encodeURIComponent('Le thé est-il bon ?')}`, 'kettle');
    assert.equal(teaSearch.body.q, 'the bon');
    assert.deepEqual(teaSearch.body.questions.map((listed) => listed.id), [tea.body.id]);
    // A cursor belongs to its list: a search's next page is asked with the same search.
    const first = await list(`?q=tente%20vent&limit=1`, sku);
    assert.equal(first.body.questions.length, 1);
    const next = await list(`?q=tente%20vent&limit=1&cursor=${first.body.next_cursor}`, sku);
    assert.equal(next.status, 200);
    assert.deepEqual(
      [...first.body.questions, ...next.body.questions].map((listed) => listed.id).sort(),
      [wind.body.id, rain.body.id].sort(),
    );
  });

  test('the brand sees its unanswered questions, its answer queue and its top answerers', async () => {
    const unanswered = await stack.admin('/questions?status=unanswered');
    assert.equal(unanswered.status, 200);
    assert.ok(unanswered.body.questions.every((listed) => listed.answer_count === 0 && listed.status === 'published'));
    const answers = await stack.admin('/answers?status=published');
    assert.ok(answers.body.answers.length > 0);
    const top = (await stack.admin('/answerers')).body.answerers;
    const counts = top.map((answerer) => answerer.answers);
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'most answers first');
    const buyer = top.find((answerer) => answerer.customer_id === 'customer-1');
    assert.ok(buyer.answers >= 1 && buyer.as_buyer === buyer.answers);
    assert.equal(top.find((answerer) => answerer.customer_id === 'customer-2').as_buyer, 0);
  });
});

describe('refusals', () => {
  test('wrong types, missing fields and broken rules name their field and store nothing', async () => {
    const keys = [];
    for (const [overrides, field] of [
      [{ text: 'Court ?' }, 'text'],
      [{ text: 42 }, 'text'],
      [{ text: 'q'.repeat(1001) }, 'text'],
      [{ author_name: 'n'.repeat(61) }, 'author_name'],
      [{ email: 'alex@cairn.example' }, 'email_consent'],
      [{ email: 'alex@', email_consent: true }, 'email'],
      [{ visitor_id: 'v' }, 'visitor_id'],
    ]) {
      const body = question(overrides);
      keys.push(body.idempotency_key);
      const response = await ask(body);
      assert.equal(response.status, 422, JSON.stringify(overrides));
      assert.equal(response.body.error.field, field);
    }
    const questionId = await publishedQuestion();
    for (const [overrides, field] of [
      [{ text: 'x' }, 'text'],
      [{ text: 'x'.repeat(3001) }, 'text'],
      [{ author_name: '' }, 'author_name'],
      [{ idempotency_key: 'k' }, 'idempotency_key'],
    ]) {
      const body = answer({ customer_token: buyerToken(), ...overrides });
      const response = await reply(questionId, body);
      assert.equal(response.status, 422, JSON.stringify(overrides));
      assert.equal(response.body.error.field, field);
    }
    const missing = answer({ customer_token: buyerToken() });
    delete missing.text;
    assert.equal((await reply(questionId, missing)).body.error.field, 'text');
    assert.equal((await stack.query(`SELECT COUNT(*) AS n FROM questions WHERE idempotency_key IN ('${keys.join("','")}')`))[0].n, 0);
    assert.equal((await stack.query(`SELECT COUNT(*) AS n FROM answers WHERE question_id = '${questionId}'`))[0].n, 0);
  });

  test('oversized bodies, unknown sites, foreign origins, forged tokens and missing admin tokens are refused', async () => {
    const huge = await call(`/products/${product}/questions`, { method: 'POST', raw: JSON.stringify(question({ text: 'x'.repeat(20000) })) });
    assert.equal(huge.status, 413);
    assert.equal((await ask(question(), product, 'nobody')).body.error.code, 'unknown_site');
    const foreign = await call(`/products/${product}/questions`, { method: 'POST', body: question(), origin: 'https://evil.example' });
    assert.equal(foreign.status, 403);
    const questionId = await publishedQuestion();
    const forged = stack.customerToken('customer-9', 600, 'not the secret', [{ id: 'A-9', products: [product] }]);
    assert.equal((await reply(questionId, answer({ customer_token: forged }))).body.error.code, 'invalid_customer_token');
    for (const path of ['/questions', '/answers', '/answerers']) {
      assert.equal((await call(path, { origin: null })).status, 401, path);
    }
  });

  test('hostile strings are stored exactly as given', async () => {
    const hostile = `<script>alert(1)</script>'; DROP TABLE questions; -- ${newId()}`;
    const asked = await ask(question({ text: hostile }));
    const [row] = await stack.query(`SELECT body FROM questions WHERE id = '${asked.body.id}'`);
    assert.equal(row.body, hostile);
  });
});
