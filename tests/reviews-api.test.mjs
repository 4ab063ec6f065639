// The review routes over HTTP on workerd with a fresh local D1: submit, moderate, read,
// page, vote, reply, crawler markup, and the refusals, checked against what D1 holds.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId, startStack } from './support.mjs';

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

const product = 'bivouac-2';
const reviewsPath = (sku = product) => `/products/${sku}/reviews`;

const review = (overrides = {}) => {
  const idempotency_key = newId();
  return {
    rating: 4,
    title: 'Solide et légère',
    text: `Montée en cinq minutes, sèche après l'orage (${idempotency_key}).`,
    author_name: 'Camille',
    visitor_id: newId(),
    idempotency_key,
    elapsed_ms: 30000,
    ...overrides,
  };
};

async function call(path, { method = 'GET', body, raw, origin = stack.demoOrigin, site = stack.site, headers = {} } = {}) {
  const allHeaders = { ...headers };
  if (origin) allHeaders.origin = origin;
  if (method === 'POST') allHeaders['content-type'] ??= 'application/json';
  const response = await fetch(`${stack.worker.origin}/v1/sites/${site}${path}`, {
    method,
    headers: allHeaders,
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') || '').includes('json') && text ? JSON.parse(text) : null;
  return { status: response.status, headers: response.headers, text, body: json };
}

const submit = (body, sku = product) => call(reviewsPath(sku), { method: 'POST', body });
const publish = (id) => stack.admin(`/reviews/${id}/moderation`, { method: 'POST', body: { decision: 'publish' } });
const list = (query = '', sku = product) => call(`${reviewsPath(sku)}${query}`);

describe('writing and moderating', () => {
  test('a review waits for moderation, then is shown and counted once published', async () => {
    const sku = 'tarp-3x3';
    const created = await submit(review({ rating: 4 }), sku);
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'pending');
    assert.equal((await list('', sku)).body.reviews.length, 0);

    const queue = await stack.admin('/reviews?status=pending');
    assert.ok(queue.body.reviews.some((pending) => pending.id === created.body.id));

    const published = await publish(created.body.id);
    assert.equal(published.status, 200);
    const page = (await list('', sku)).body;
    assert.equal(page.summary.count, 1);
    assert.equal(page.summary.average, 4);
    assert.deepEqual(page.summary.histogram, { 1: 0, 2: 0, 3: 0, 4: 1, 5: 0 });
    const [stored] = await stack.query(`SELECT review_count, rating_sum, stars_4 FROM review_aggregates WHERE product_id = '${sku}'`);
    assert.deepEqual(stored, { review_count: 1, rating_sum: 4, stars_4: 1 });

    const rejected = await stack.admin(`/reviews/${created.body.id}/moderation`, {
      method: 'POST',
      body: { decision: 'reject', reason: 'Photo of another product' },
    });
    assert.equal(rejected.body.rejection_reason, 'Photo of another product');
    const after = (await list('', sku)).body;
    assert.equal(after.summary.count, 0);
    assert.equal(after.summary.average, null);
  });

  test('a customer token naming an order of the product marks a verified purchase', async () => {
    const token = stack.customerToken('customer-7', 600, undefined, [{ id: 'A-1001', products: [product] }]);
    const created = await submit(review({ customer_token: token }));
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.verified, true);
    const otherProduct = stack.customerToken('customer-8', 600, undefined, [{ id: 'A-1002', products: ['stove'] }]);
    const unverified = await submit(review({ customer_token: otherProduct }));
    assert.equal(unverified.body.verified, false);
    const [row] = await stack.query(`SELECT customer_id, order_id FROM reviews WHERE id = '${created.body.id}'`);
    assert.deepEqual(row, { customer_id: 'customer-7', order_id: 'A-1001' });
  });

  test('forged and expired tokens are refused with a clear error and store nothing', async () => {
    const forged = stack.customerToken('customer-9', 600, 'not the site secret', [{ id: 'A-9', products: [product] }]);
    const expired = stack.customerToken('customer-9', -10, undefined, [{ id: 'A-9', products: [product] }]);
    const keys = [];
    for (const [token, code] of [
      [forged, 'invalid_customer_token'],
      [expired, 'customer_token_expired'],
    ]) {
      const body = review({ customer_token: token });
      keys.push(body.idempotency_key);
      const response = await submit(body);
      assert.equal(response.status, 401);
      assert.equal(response.body.error.code, code);
    }
    const stored = await stack.query(`SELECT COUNT(*) AS n FROM reviews WHERE idempotency_key IN ('${keys.join("','")}')`);
    assert.equal(stored[0].n, 0);
  });

  test('a retry returns the first review and stores nothing new', async () => {
    const body = review();
    const first = await submit(body);
    const again = await submit(body);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    assert.equal((await stack.query(`SELECT COUNT(*) AS n FROM reviews WHERE idempotency_key = '${body.idempotency_key}'`))[0].n, 1);
  });

  test('the brand reply shows under the review', async () => {
    const sku = 'stove';
    const created = await submit(review({ rating: 2 }), sku);
    await publish(created.body.id);
    const reply = await stack.admin(`/reviews/${created.body.id}/reply`, {
      method: 'POST',
      body: { text: 'Désolés ! Écrivez-nous, nous remplaçons le brûleur.' },
    });
    assert.equal(reply.status, 200);
    const [shown] = (await list('', sku)).body.reviews;
    assert.equal(shown.reply.text, 'Désolés ! Écrivez-nous, nous remplaçons le brûleur.');
  });
});

describe('reading', () => {
  test('pages follow the cursor through every published review once', async () => {
    const sku = 'lantern';
    const ids = [];
    for (let index = 0; index < 12; index++) {
      const created = await submit(review({ rating: (index % 5) + 1 }), sku);
      ids.push(created.body.id);
      await publish(created.body.id);
    }
    for (const sort of ['newest', 'helpful', 'rating_high', 'rating_low']) {
      const seen = [];
      let query = `?sort=${sort}&limit=5`;
      for (;;) {
        const page = (await list(query, sku)).body;
        assert.equal(page.summary.count, 12);
        seen.push(...page.reviews);
        if (!page.next_cursor) break;
        query = `?sort=${sort}&limit=5&cursor=${page.next_cursor}`;
      }
      assert.deepEqual(seen.map((shown) => shown.id).sort(), [...ids].sort(), sort);
      if (sort === 'rating_high') assert.deepEqual(seen.map((shown) => shown.rating), [5, 5, 4, 4, 3, 3, 2, 2, 2, 1, 1, 1]);
    }
  });

  test('a rating filter lists only that rating, page by page, and refuses anything but 1 to 5', async () => {
    const sku = 'lantern';
    for (const sort of ['newest', 'helpful']) {
      const seen = [];
      let query = `?sort=${sort}&rating=2&limit=1`;
      for (;;) {
        const { status, body } = await list(query, sku);
        assert.equal(status, 200);
        assert.equal(body.rating, 2);
        assert.equal(body.summary.count, 12, 'the summary counts every review');
        seen.push(...body.reviews);
        if (!body.next_cursor) break;
        query = `?sort=${sort}&rating=2&limit=1&cursor=${body.next_cursor}`;
      }
      assert.deepEqual(seen.map((shown) => shown.rating), [2, 2, 2], sort);
    }
    assert.equal((await list('', sku)).body.rating, undefined);
    for (const rating of ['0', '6', 'deux', '2.5', '', '%3Cscript%3Ealert(1)%3C%2Fscript%3E', '2&rating=3']) {
      const refused = await list(`?rating=${rating}`, sku);
      assert.equal(refused.status, 400, rating);
      assert.equal(refused.body.error.code, 'invalid_query');
      assert.equal(refused.body.error.field, 'rating');
    }
    const unknown = await call(`${reviewsPath(sku)}?rating=5`, { site: 'nobody' });
    assert.equal(unknown.status, 404);
  });

  test('each visitor counts once as finding a review helpful', async () => {
    const sku = 'mug';
    const created = await submit(review(), sku);
    const vote = (visitor_id) => call(`${reviewsPath(sku)}/${created.body.id}/helpful`, { method: 'POST', body: { visitor_id } });
    assert.equal((await vote(newId())).status, 404, 'not while pending');
    await publish(created.body.id);
    const visitor = newId();
    assert.deepEqual((await vote(visitor)).body, { helpful_count: 1, counted: true });
    assert.deepEqual((await vote(visitor)).body, { helpful_count: 1, counted: false });
    assert.deepEqual((await vote(newId())).body, { helpful_count: 2, counted: true });
    assert.equal((await stack.query(`SELECT COUNT(*) AS n FROM review_votes WHERE review_id = '${created.body.id}'`))[0].n, 2);
  });

  test('an unchanged list is revalidated with a 304', async () => {
    const first = await list();
    assert.equal(first.headers.get('cache-control'), 'no-cache');
    const etag = first.headers.get('etag');
    const again = await list('', product);
    assert.equal(again.headers.get('etag'), etag);
    const revalidated = await call(reviewsPath(), { headers: { 'if-none-match': etag } });
    assert.equal(revalidated.status, 304);
  });

  test('crawler markup: JSON-LD and an escaped HTML fragment, cacheable, no Origin needed', async () => {
    const sku = 'hostile-1';
    const created = await submit(review({ rating: 5, text: '<img src=x onerror=alert(1)>' }), sku);
    await publish(created.body.id);
    const jsonLd = await call(`/products/${sku}/reviews.jsonld?name=Bivouac%202`, { origin: null });
    assert.equal(jsonLd.status, 200);
    assert.match(jsonLd.headers.get('content-type'), /^application\/ld\+json/);
    assert.match(jsonLd.headers.get('cache-control'), /max-age=300/);
    const product = JSON.parse(jsonLd.text);
    assert.equal(product['@type'], 'Product');
    assert.equal(product.name, 'Bivouac 2');
    assert.equal(product.aggregateRating.ratingValue, 5);
    assert.equal(product.aggregateRating.reviewCount, 1);
    assert.equal(product.review[0].reviewBody, '<img src=x onerror=alert(1)>');

    const html = await call(`/products/${sku}/reviews.html?lang=en`, { origin: null });
    assert.match(html.headers.get('content-type'), /^text\/html/);
    assert.ok(html.text.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(!html.text.includes('<img'));
    assert.ok(html.text.includes('Customer reviews'));
  });
});

describe('refusals', () => {
  test('wrong types, missing fields and broken rules name their field and store nothing', async () => {
    const keys = [];
    const cases = [
      [{ rating: 'five' }, 'rating'],
      [{ rating: 0 }, 'rating'],
      [{ title: 42 }, 'title'],
      [{ title: 't'.repeat(121) }, 'title'],
      [{ text: 'short' }, 'text'],
      [{ author_name: 'n'.repeat(61) }, 'author_name'],
      [{ email: 'camille@cairn.example' }, 'email_consent'],
      [{ email: 'not an email', email_consent: true }, 'email'],
      [{ visitor_id: '../../etc' }, 'visitor_id'],
    ];
    for (const [overrides, field] of cases) {
      const body = review(overrides);
      keys.push(body.idempotency_key);
      const response = await submit(body);
      assert.equal(response.status, 422, JSON.stringify(overrides));
      assert.equal(response.body.error.field, field);
    }
    for (const field of ['rating', 'title', 'text', 'author_name', 'visitor_id']) {
      const body = review();
      delete body[field];
      keys.push(body.idempotency_key);
      const response = await submit(body);
      assert.equal(response.status, 422);
      assert.equal(response.body.error.field, field);
    }
    assert.equal((await stack.query(`SELECT COUNT(*) AS n FROM reviews WHERE idempotency_key IN ('${keys.join("','")}')`))[0].n, 0);
  });

  test('oversized bodies, unknown sites, foreign origins and bad product ids are refused', async () => {
    const huge = await call(reviewsPath(), { method: 'POST', raw: JSON.stringify(review({ text: 'x'.repeat(20000) })) });
    assert.equal(huge.status, 413);
    const unknown = await call(reviewsPath(), { method: 'POST', body: review(), site: 'nobody' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'unknown_site');
    const foreign = await call(reviewsPath(), { method: 'POST', body: review(), origin: 'https://evil.example' });
    assert.equal(foreign.status, 403);
    const badProduct = await call('/products/%3Cscript%3E/reviews');
    assert.equal(badProduct.status, 422);
    assert.equal(badProduct.body.error.field, 'product');
    const noAdmin = await call('/reviews?status=pending', { origin: null });
    assert.equal(noAdmin.status, 401);
  });

  test('hostile strings are stored exactly as given', async () => {
    const hostile = `<script>alert(1)</script>'; DROP TABLE reviews; -- ${newId()}`;
    const created = await submit(review({ text: hostile, author_name: "Robert'); --" }));
    assert.equal(created.status, 201);
    const [row] = await stack.query(`SELECT body, author_name FROM reviews WHERE id = '${created.body.id}'`);
    assert.deepEqual(row, { body: hostile, author_name: "Robert'); --" });
  });

  test('preflight allows both methods of the reviews route to the site origin only', async () => {
    const allowed = await call(reviewsPath(), { method: 'OPTIONS' });
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-methods'), 'GET, POST, OPTIONS');
    const foreign = await call(reviewsPath(), { method: 'OPTIONS', origin: 'https://evil.example' });
    assert.equal(foreign.status, 403);
  });
});
