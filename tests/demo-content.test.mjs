// What `npm start` stores for the demo (demo-site/content.json), in a fresh stack: the
// product page shows its reviews with the brand's replies and its answered questions, and
// a second start stores nothing more and leaves what the marketer changed as it is.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, test } from 'node:test';
import { openPage, startStackAndBrowser, waitForEvent } from './browser.mjs';
import { storeDemoContent } from '../scripts/demo-content.mjs';

const content = JSON.parse(readFileSync(new URL('../demo-site/content.json', import.meta.url), 'utf8'));
let stack;
let browser;
let visitor;

before(async () => {
  [stack, browser] = await startStackAndBrowser();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});
afterEach(async () => {
  const problems = visitor?.problems() ?? [];
  await visitor?.context.close();
  visitor = undefined;
  assert.deepEqual(problems, [], 'the page logged errors');
});

const store = () => storeDemoContent({ workerOrigin: stack.worker.origin, demoOrigin: stack.demoOrigin, adminToken: stack.adminToken });

test('the demo product page shows the stored reviews, replies and answers, stored once', async () => {
  assert.deepEqual(await store(), { reviews: content.reviews.length, questions: content.questions.length });

  visitor = await openPage(browser);
  const { page } = visitor;
  await page.goto(`${stack.demoOrigin}/`);
  const reviews = page.locator('pv-review');
  await reviews.scrollIntoViewIfNeeded();
  await waitForEvent(page, 'pv:ready {"widget":"review"');
  assert.equal(await reviews.locator('.count').textContent(), `${content.reviews.length} avis`);
  const critical = content.reviews.find((review) => review.reply);
  await reviews.locator('.review', { hasText: critical.title }).locator('.reply', { hasText: critical.reply }).waitFor();
  const qa = page.locator('pv-qa');
  await qa.scrollIntoViewIfNeeded();
  const answered = content.questions.find((question) => question.answer);
  await qa.locator('li', { hasText: answered.text }).getByText(answered.answer).waitFor();

  // The marketer takes a review down; the next `npm start` neither stores it again nor
  // publishes it back.
  const [first] = await stack.query(`SELECT id FROM reviews WHERE idempotency_key = 'demo-${content.reviews[0].key}'`);
  await stack.admin(`/reviews/${first.id}/moderation`, { method: 'POST', body: { decision: 'reject', reason: 'Hors sujet' } });
  assert.deepEqual(await store(), { reviews: 0, questions: 0 });
  const counts = await stack.query("SELECT status, COUNT(*) AS n FROM reviews WHERE idempotency_key LIKE 'demo-%' GROUP BY status ORDER BY status");
  assert.deepEqual(counts, [{ status: 'published', n: content.reviews.length - 1 }, { status: 'rejected', n: 1 }]);
  const answers = await stack.query("SELECT COUNT(*) AS n FROM answers WHERE idempotency_key LIKE 'demo-%'");
  assert.equal(answers[0].n, content.questions.filter((question) => question.answer).length, 'each answer once');
});
