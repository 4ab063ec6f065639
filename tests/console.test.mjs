// The brand console at WORKER/console, in Chromium against workerd and D1: signing in with
// the admin token (kept nowhere but in a strict session cookie), the NPS of answers this
// test sends through the public API, its weeks and split, and detractors' comments marked
// handled.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { after, afterEach, before, describe, test } from 'node:test';
import { accessibilityViolations, openPage, signal, startStackAndBrowser } from './browser.mjs';
import { clearOfUtcMidnight } from './support.mjs';

let stack;
let browser;
const opened = [];

before(async () => {
  [stack, browser] = await startStackAndBrowser();
  await clearOfUtcMidnight(10_000);
  // Promoters 10, 9, 9; passive 8; detractors 6, 2: NPS = (3 − 2) / 6 = +16.7.
  for (const [score, comment] of [[10, 'Tente parfaite'], [9, null], [9, null], [8, null], [6, 'Fermeture fragile'], [2, 'Livrée avec un arceau cassé']]) {
    const response = await fetch(`${stack.api}/nps`, {
      method: 'POST',
      headers: { origin: stack.demoOrigin, 'content-type': 'application/json' },
      body: JSON.stringify({
        score,
        comment: comment ?? undefined,
        visitor_id: `visitor-${randomUUID()}`,
        idempotency_key: randomUUID(),
        elapsed_ms: 9_000,
        page_url: `${stack.demoOrigin}/`,
      }),
    });
    assert.equal(response.status, 201, await response.text());
  }
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});
afterEach(async () => {
  // 401 (signed out), 422 (a refused change) and a reset connection (an answer lost on its
  // way back) are what these tests ask for.
  const problems = opened.flatMap((visitor) => visitor.problems([/status of 401/, /status of 422/, /ERR_CONNECTION_RESET/]));
  await Promise.all(opened.splice(0).map((visitor) => visitor.context.close()));
  assert.deepEqual(problems, [], 'the console logged errors');
});

async function openConsole(options = {}) {
  const marketer = await openPage(browser, { locale: 'en-GB', ...options });
  opened.push(marketer);
  await marketer.page.goto(`${stack.worker.origin}/console?site=cairn`);
  return marketer;
}

async function signIn(page, token = stack.adminToken) {
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens each console tab in turn, once its data has loaded, and runs `check` on it. */
async function eachTab(page, check) {
  const nav = page.getByRole('navigation', { name: 'Console' });
  const tabs = await nav.getByRole('button').allTextContents();
  for (const tab of tabs) {
    await nav.getByRole('button', { name: tab }).click();
    await page.locator('main[class]').waitFor();
    await page.waitForFunction(() => !document.body.textContent.includes('Loading…'));
    await check(tab);
  }
  return tabs.length;
}

describe('the brand console', () => {
  test('signs in with the admin token and shows the NPS of the answers sent', async () => {
    const { page, context } = await openConsole();
    await signIn(page);
    await page.getByRole('heading', { name: 'Cairn · Portevoix console' }).waitFor();
    assert.equal(await page.locator('#nps-score').textContent(), '+16.7');
    await page.getByText('6 answers').waitFor();
    const split = await page.locator('svg.split').getAttribute('aria-label');
    assert.equal(split, 'Promoters 50%, Passives 17%, Detractors 33%');
    const chart = await page.getByRole('img', { name: /^week of \d{4}-\d{2}-\d{2}: \+16\.7 \(6 answers\)$/ });
    assert.equal(await chart.count(), 1, 'one week drawn, with its score');
    await page.getByText("Line: each week's NPS. Grey bars: how many answered each week (the busiest: 6).").waitFor();

    const cookies = await context.cookies(stack.worker.origin + '/v1/sites/cairn/');
    const session = cookies.find((cookie) => cookie.name === 'pv_console');
    assert.ok(session, 'a session cookie');
    assert.equal(session.httpOnly, true);
    assert.equal(session.secure, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(session.path, '/v1/sites/cairn/');
    assert.ok(session.expires * 1000 - Date.now() <= 2 * 3600 * 1000 + 60_000, 'short-lived');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    assert.ok(!stored.includes(stack.adminToken), 'the token is kept nowhere a script can read');

    await page.reload();
    await page.getByRole('heading', { name: 'Cairn · Portevoix console' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    await page.reload();
    await page.getByLabel('Admin token').waitFor();
  });

  test('lists detractors first and marks their comments handled, saying so when a mark fails', async () => {
    const { page } = await openConsole();
    await signIn(page);
    const toHandle = page.locator('section', { has: page.getByRole('heading', { name: /^Detractors to handle/ }) });
    await toHandle.getByText('Livrée avec un arceau cassé').waitFor();
    assert.equal(await toHandle.locator('li').count(), 2);
    const broken = toHandle.locator('li', { hasText: 'arceau cassé' });
    const handledOnce = '**/nps/*/handled';
    await page.route(handledOnce, (route) => route.abort('connectionreset'));
    await broken.getByRole('button', { name: 'Mark handled' }).click();
    await page.getByRole('alert').filter({ hasText: 'The server could not be reached' }).waitFor();
    const unhandled = await stack.query("SELECT handled_at FROM nps_answers WHERE comment = 'Livrée avec un arceau cassé'");
    assert.equal(unhandled[0].handled_at, null, 'a failed mark is said, not taken as done');
    await page.unroute(handledOnce);
    await broken.getByRole('button', { name: 'Mark handled' }).click();
    await page.getByRole('heading', { name: 'Detractors to handle (1)' }).waitFor();
    assert.equal(await page.getByRole('alert').count(), 0, 'the message goes once the mark is stored');
    const rows = await stack.query("SELECT handled_at FROM nps_answers WHERE comment = 'Livrée avec un arceau cassé'");
    assert.ok(rows[0].handled_at > 0, 'stored as handled');
    const latest = page.locator('section', { has: page.getByRole('heading', { name: 'Latest comments' }) });
    await latest.locator('li', { hasText: 'arceau cassé' }).getByText('handled').waitFor();
  });

  test('refuses a wrong token and keeps no session', async () => {
    const { page, context } = await openConsole();
    await signIn(page, 'not-the-admin-token');
    await page.getByRole('alert').filter({ hasText: 'does not open this site' }).waitFor();
    assert.deepEqual((await context.cookies()).filter((cookie) => cookie.name === 'pv_console'), []);
  });

  test('filters by page and date', async () => {
    await asVisitor('nps', { score: 10, page_url: `${stack.demoOrigin}/nuit.html` });
    const { page } = await openConsole();
    await signIn(page);
    await page.locator('#nps-score').waitFor();
    await page.getByLabel('From', { exact: true }).fill('2000-01-01');
    await page.getByLabel('To', { exact: true }).fill('2000-01-31');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('0 answers').waitFor();
    assert.equal(await page.getByLabel('Page', { exact: true }).locator('option').count(), 1, 'no page in an empty range');
    assert.equal(await page.locator('#nps-score').textContent(), '—');
    await page.getByText('No comment in this range yet.').waitFor();
    await page.getByLabel('From', { exact: true }).fill('');
    await page.getByLabel('To', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('7 answers').waitFor();
    await page.getByLabel('Page', { exact: true }).selectOption(`${stack.demoOrigin}/nuit.html`);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('1 answer', { exact: true }).waitFor();
    assert.equal(await page.locator('#nps-score').textContent(), '+100');
    await page.getByLabel('Page', { exact: true }).selectOption(`${stack.demoOrigin}/`);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('6 answers').waitFor();
    assert.equal(await page.locator('#nps-score').textContent(), '+16.7');
    // A range without the chosen page's answers: the menu still shows the page the figures
    // are for, and applying again keeps it.
    const pageMenu = page.getByLabel('Page', { exact: true });
    await page.getByLabel('From', { exact: true }).fill('2000-01-01');
    await page.getByLabel('To', { exact: true }).fill('2000-01-31');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('0 answers').waitFor();
    assert.equal(await pageMenu.inputValue(), `${stack.demoOrigin}/`);
    assert.deepEqual(await pageMenu.locator('option').allTextContents(), ['All pages', `${stack.demoOrigin}/ (0)`]);
    await page.getByLabel('From', { exact: true }).fill('');
    await page.getByLabel('To', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('6 answers').waitFor();
    assert.equal(await pageMenu.inputValue(), `${stack.demoOrigin}/`);
  });
});

/** Sends `body` to a public route as a visitor of the demo page would. */
async function asVisitor(route, body) {
  const response = await fetch(`${stack.api}/${route}`, {
    method: 'POST',
    headers: { origin: stack.demoOrigin, 'content-type': 'application/json' },
    body: JSON.stringify({ visitor_id: `visitor-${randomUUID()}`, idempotency_key: randomUUID(), elapsed_ms: 30_000, ...body }),
  });
  const text = await response.text();
  assert.equal(response.status, 201, text);
  // Distinct creation times keep the queue's order certain.
  await new Promise((resolve) => setTimeout(resolve, 20));
  return JSON.parse(text).id;
}

describe('moderation in the console', () => {
  test('works the queue by keyboard, and the demo page shows what was published', async () => {
    const kept = await asVisitor('products/bivouac-2/reviews', {
      rating: 5,
      title: 'Parfaite sous l’orage',
      text: 'Aucune goutte après une nuit de pluie au lac Blanc.',
      author_name: 'Lou',
    });
    const refused = await asVisitor('products/bivouac-2/reviews', {
      rating: 1,
      title: 'Bof',
      text: 'Visitez mon blog de bons plans pour en savoir plus.',
      author_name: 'Promo',
    });
    const question = await asVisitor('products/bivouac-2/questions', {
      text: 'Le double toit est-il traité anti-UV ?',
      author_name: 'Sam',
    });

    const { page } = await openConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Moderation' }).click();
    await page.getByRole('heading', { name: 'Moderation (3)' }).waitFor();
    const queue = page.locator('main.moderation');
    await queue.focus();
    assert.match(await page.locator('li[aria-current="true"]').textContent(), /Parfaite sous l’orage/);
    await page.keyboard.press('p');
    await page.getByRole('heading', { name: 'Moderation (2)' }).waitFor();

    assert.match(await page.locator('li[aria-current="true"]').textContent(), /Visitez mon blog/);
    await page.keyboard.press('r');
    await page.getByLabel('Reason for rejecting').fill('Publicité');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Moderation (1)' }).waitFor();

    await queue.focus();
    await page.keyboard.press('a');
    await page.getByLabel('Publish and answer as the brand').fill('Oui : la toile extérieure est traitée anti-UV (UPF 50).');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Nothing waits for moderation.').waitFor();

    const status = async (table, id) => (await stack.query(`SELECT status, rejection_reason FROM ${table} WHERE id = '${id}'`))[0];
    assert.deepEqual(await status('reviews', kept), { status: 'published', rejection_reason: null });
    assert.deepEqual(await status('reviews', refused), { status: 'rejected', rejection_reason: 'Publicité' });
    assert.equal((await status('questions', question)).status, 'published');
    const answers = await stack.query(`SELECT badge, status FROM answers WHERE question_id = '${question}'`);
    assert.deepEqual(answers, [{ badge: 'brand', status: 'published' }]);

    const visitor = await openPage(browser);
    opened.push(visitor);
    await visitor.page.goto(`${stack.demoOrigin}/`);
    const reviews = visitor.page.locator('pv-review');
    await reviews.scrollIntoViewIfNeeded();
    await reviews.getByRole('heading', { name: 'Parfaite sous l’orage' }).waitFor();
    assert.equal(await reviews.getByText('Visitez mon blog').count(), 0, 'the rejected review stays hidden');
    const qa = visitor.page.locator('pv-qa');
    await qa.scrollIntoViewIfNeeded();
    await qa.getByText('Le double toit est-il traité anti-UV ?').waitFor();
  });
});

describe('a long moderation queue in the console', () => {
  test('says more wait than the 50 shown, and brings them in as it is worked', async () => {
    const now = Date.now();
    const rows = Array.from({ length: 55 }, (_, index) => {
      const id = (index + 1).toString(16).padStart(32, 'f');
      return `('${id}', '${stack.site}', 'bivouac-2', 'bulk-${index}', 'v', 3, 'Lot ${index}', 'Avis en lot ${index}.', 'Lot', 'pending', ${now + index})`;
    });
    await stack.write(
      'INSERT INTO reviews (id, site_id, product_id, idempotency_key, visitor_id, rating, title, body, author_name, status, created_at) ' +
        `VALUES ${rows.join(', ')} RETURNING id`,
    );
    try {
      const { page } = await openConsole();
      await signIn(page);
      await page.getByRole('button', { name: 'Moderation' }).click();
      const queue = page.getByRole('list', { name: 'Waiting for moderation' });
      await queue.waitFor();
      assert.equal(await queue.getByRole('listitem').count(), 50);
      assert.equal(await page.getByRole('heading', { name: /^Moderation \(/ }).textContent(), 'Moderation (50+)', 'more wait than are shown');
      // Published oldest first, one by one: at 50 left, all are shown.
      await page.locator('main.moderation').focus();
      for (let index = 0; index < 5; index++) {
        await page.locator('li[aria-current="true"]', { hasText: `Avis en lot ${index}.` }).waitFor();
        await page.keyboard.press('p');
      }
      await page.getByRole('heading', { name: 'Moderation (50)', exact: true }).waitFor();
    } finally {
      await stack.write("DELETE FROM reviews WHERE idempotency_key LIKE 'bulk-%' RETURNING id");
    }
  });
});

describe('published reviews in the console', () => {
  test('are listed newest first; the brand replies to one, shown under it on the product page, and takes another down', async () => {
    const unhappy = await asVisitor('products/bivouac-2/reviews', {
      rating: 2,
      title: 'Arceau cassé',
      text: 'Un arceau a cédé dès la deuxième nuit <script>alert(1)</script>.',
      author_name: 'Inès',
    });
    const offTopic = await asVisitor('products/bivouac-2/reviews', {
      rating: 5,
      title: 'Rien à voir',
      text: 'Mon voisin s’appelle Jean Dupont et il ronfle.',
      author_name: 'Théo',
    });
    for (const id of [unhappy, offTopic]) {
      assert.equal((await stack.admin(`/reviews/${id}/moderation`, { method: 'POST', body: { decision: 'publish' } })).status, 200);
    }

    const { page } = await openConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Reviews' }).click();
    const list = page.getByRole('list', { name: 'Published reviews' });
    await list.waitFor();
    const titles = await list.locator(':scope > li .title').allTextContents();
    assert.deepEqual(titles.slice(0, 2), ['Rien à voir', 'Arceau cassé'], 'newest first');
    const unhappyItem = list.getByRole('listitem').filter({ hasText: 'Arceau cassé' });
    assert.match(await unhappyItem.textContent(), /<script>alert\(1\)<\/script>/, 'markup shown as typed');

    // The two-star reviews still without a reply: what the brand answers first.
    await page.getByLabel('Rating').selectOption('2');
    const unrepliedOnly = page.getByLabel('Without a reply only');
    await unrepliedOnly.check();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('ol[aria-label="Published reviews"] > li .title')].map((title) => title.textContent).join('|') === 'Arceau cassé');

    await unhappyItem.getByRole('button', { name: 'Reply…' }).click();
    const reply = 'Désolés, Inès : écrivez-nous, nous remplaçons l’arceau <b>gratuitement</b>.';
    await unhappyItem.getByLabel('Your reply, shown under the review').fill(reply);
    await unhappyItem.getByRole('button', { name: 'Publish the reply' }).click();
    await unhappyItem.getByText(`: ${reply}`).waitFor();
    const [stored] = await stack.query(`SELECT status, reply FROM reviews WHERE id = '${unhappy}'`);
    assert.deepEqual(stored, { status: 'published', reply });
    await unhappyItem.getByRole('button', { name: 'Change the reply…' }).click();
    assert.equal(await unhappyItem.getByLabel('Your reply, shown under the review').inputValue(), reply, 'the reply to change is there');
    await unhappyItem.getByRole('button', { name: 'Cancel' }).click();
    await unrepliedOnly.uncheck();
    await unrepliedOnly.check();
    await page.getByText('No published review matches.').waitFor();
    await unrepliedOnly.uncheck();
    await page.getByLabel('Rating').selectOption('');

    const offTopicItem = list.getByRole('listitem').filter({ hasText: 'Rien à voir' });
    await offTopicItem.getByRole('button', { name: 'Take down…' }).click();
    await offTopicItem.getByLabel('Reason for taking it down').fill('Nomme un tiers');
    await offTopicItem.getByRole('button', { name: 'Take it down' }).click();
    await offTopicItem.waitFor({ state: 'detached' });
    assert.deepEqual(
      (await stack.query(`SELECT status, rejection_reason FROM reviews WHERE id = '${offTopic}'`))[0],
      { status: 'rejected', rejection_reason: 'Nomme un tiers' },
    );
    await page.reload();
    await page.getByRole('button', { name: 'Reviews' }).click();
    await list.getByRole('listitem').filter({ hasText: 'Arceau cassé' }).waitFor();
    assert.equal(await list.getByRole('listitem').filter({ hasText: 'Rien à voir' }).count(), 0, 'still gone after a reload');

    const visitor = await openPage(browser);
    opened.push(visitor);
    await visitor.page.goto(`${stack.demoOrigin}/`);
    const reviews = visitor.page.locator('pv-review');
    await reviews.scrollIntoViewIfNeeded();
    await reviews.locator('blockquote.reply', { hasText: reply }).waitFor();
    assert.equal(await reviews.getByText('Mon voisin s’appelle').count(), 0, 'the review taken down is off the product page');
  });
});

describe('published answers in the console', () => {
  test('are listed newest first, and one taken down leaves the product page', async () => {
    const question = await asVisitor('products/bivouac-2/questions', { text: 'Peut-on la monter seul par grand vent ?', author_name: 'Yanis' });
    assert.equal((await stack.admin(`/questions/${question}/moderation`, { method: 'POST', body: { decision: 'publish' } })).status, 200);
    // Known customers' answers are published at once: they never pass through the queue.
    const customerAnswer = async (customer, text) =>
      asVisitor(`products/bivouac-2/questions/${question}/answers`, {
        text,
        author_name: customer,
        customer_token: stack.customerToken(customer, 600),
      });
    const kind = await customerAnswer('Lina', 'Oui, en commençant par les sardines côté vent.');
    const rude = await customerAnswer('Troll', 'Non, et quiconque essaie est un <i>idiot</i>.');
    assert.deepEqual(
      (await stack.query(`SELECT status FROM answers WHERE id IN ('${kind}', '${rude}') ORDER BY created_at`)).map((row) => row.status),
      ['published', 'published'],
    );

    const { page } = await openConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Answers' }).click();
    const list = page.getByRole('list', { name: 'Published answers' });
    await list.waitFor();
    const texts = await list.locator(':scope > li .text').allTextContents();
    assert.deepEqual(texts.slice(0, 2), ['Non, et quiconque essaie est un <i>idiot</i>.', 'Oui, en commençant par les sardines côté vent.'], 'newest first, markup shown as typed');
    const rudeItem = list.getByRole('listitem').filter({ hasText: 'quiconque essaie' });
    assert.match(await rudeItem.textContent(), /customer.*bivouac-2.*Troll.*To: Peut-on la monter seul par grand vent \?/);
    await rudeItem.getByRole('button', { name: 'Take down…' }).click();
    await rudeItem.getByLabel('Reason for taking it down').fill('Insulte');
    await rudeItem.getByRole('button', { name: 'Take it down' }).click();
    await rudeItem.waitFor({ state: 'detached' });
    assert.deepEqual(
      (await stack.query(`SELECT status, rejection_reason FROM answers WHERE id = '${rude}'`))[0],
      { status: 'rejected', rejection_reason: 'Insulte' },
    );

    const visitor = await openPage(browser);
    opened.push(visitor);
    await visitor.page.goto(`${stack.demoOrigin}/`);
    const qa = visitor.page.locator('pv-qa');
    await qa.scrollIntoViewIfNeeded();
    await qa.getByText('Oui, en commençant par les sardines côté vent.').first().waitFor();
    assert.equal(await qa.getByText('quiconque essaie').count(), 0, 'the answer taken down is off the product page');
  });
});

describe('advocates in the console', () => {
  test('shows the ladder and the leaderboard, an advocate’s history, and credits points by hand', async () => {
    await stack.admin('/points/adjust', {
      method: 'POST',
      body: { customer_id: 'camille-console', points: 200, reason: 'Welcome gift', idempotency_key: randomUUID() },
    });
    const { page } = await openConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Advocates' }).click();
    await page.getByRole('heading', { name: 'The ladder' }).waitFor();
    const row = page.getByRole('row', { name: /camille-console/ });
    assert.match(await row.textContent(), /1 · In contact.*200/);

    await row.getByRole('button', { name: 'camille-console' }).click();
    await page.getByRole('heading', { name: 'History of camille-console' }).waitFor();
    await page.getByText('Balance: 200 points').waitFor();
    await page.locator('.history').getByText(/Welcome gift/).waitFor();

    // Typed with the minus sign the history writes, as when copied from it.
    await page.getByLabel('Points (negative to debit)').fill('\u221250');
    await page.getByLabel('Reason', { exact: true }).fill('Bon d’achat utilisé');
    await page.getByRole('button', { name: 'Credit' }).click();
    await page.getByText('Balance: 150 points').waitFor();
    // Signed as a reader expects, with the minus sign (U+2212) a screen reader says "minus".
    assert.deepEqual(await page.locator('.history span.points').allTextContents(), ['\u221250', '+200']);
    const [{ balance }] = await stack.query("SELECT SUM(points) AS balance FROM ledger WHERE account = 'customer:camille-console'");
    assert.equal(balance, 150);
  });
});

/**
 * Routes POSTs to `pattern` so that the first reaches the worker but its answer is lost on
 * the way back, as when a connection drops; later ones go through. Returns the JSON
 * bodies sent.
 */
async function loseFirstAnswer(page, pattern) {
  const sent = [];
  await page.route(pattern, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    sent.push(route.request().postDataJSON());
    if (sent.length > 1) return route.continue();
    await route.fetch();
    await route.abort('connectionreset');
  });
  return sent;
}

describe('writes sent again in the console after a lost answer', () => {
  test('a credit is counted once', async () => {
    const customer = `dominique-${randomUUID().slice(0, 8)}`;
    await stack.admin('/points/adjust', {
      method: 'POST',
      body: { customer_id: customer, points: 200, reason: 'Welcome gift', idempotency_key: randomUUID() },
    });
    const { page } = await openConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Advocates' }).click();
    await page.getByRole('row', { name: new RegExp(customer) }).getByRole('button', { name: customer }).click();
    await page.getByText('Balance: 200 points').waitFor();
    const sent = await loseFirstAnswer(page, '**/points/adjust');

    await page.getByLabel('Points (negative to debit)').fill('-50');
    await page.getByLabel('Reason', { exact: true }).fill('Bon d’achat utilisé');
    await page.getByRole('button', { name: 'Credit' }).click();
    await page.getByRole('alert').filter({ hasText: 'could not be reached' }).waitFor();
    await page.getByRole('button', { name: 'Credit' }).click();
    await page.getByText('Balance: 150 points').waitFor();

    assert.equal(sent.length, 2);
    assert.equal(sent[1].idempotency_key, sent[0].idempotency_key, 'sent again with the same key');
    const rows = await stack.query(`SELECT points FROM ledger WHERE account = 'customer:${customer}' ORDER BY points`);
    assert.deepEqual(rows.map((row) => row.points), [-50, 200]);

    // A new credit after that one is a new write, with a new key.
    await page.getByLabel('Points (negative to debit)').fill('-50');
    await page.getByLabel('Reason', { exact: true }).fill('Bon d’achat utilisé');
    await page.getByRole('button', { name: 'Credit' }).click();
    await page.getByText('Balance: 100 points').waitFor();
    assert.notEqual(sent[2].idempotency_key, sent[0].idempotency_key);
  });

  test('the brand’s answer to a question is published once', async () => {
    const question = await asVisitor('products/bivouac-2/questions', {
      text: 'Combien pèse la tente une fois pliée ?',
      author_name: 'Noa',
    });
    const { page } = await openConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Moderation' }).click();
    await page.getByRole('heading', { name: 'Moderation (1)' }).waitFor();
    const sent = await loseFirstAnswer(page, '**/answers');

    await page.locator('main.moderation').focus();
    await page.keyboard.press('a');
    await page.getByLabel('Publish and answer as the brand').fill('2,1 kg avec les arceaux.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('alert').filter({ hasText: 'could not be reached' }).waitFor();
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Nothing waits for moderation.').waitFor();

    assert.equal(sent.length, 2);
    assert.equal(sent[1].idempotency_key, sent[0].idempotency_key, 'sent again with the same key');
    const answers = await stack.query(`SELECT body FROM answers WHERE question_id = '${question}'`);
    assert.deepEqual(answers, [{ body: '2,1 kg avec les arceaux.' }]);
  });

  test('a question published without an answer waits under Unanswered questions until the brand answers it or takes it down', async () => {
    const text = 'La tente tient-elle <b>vraiment</b> à 1 900 m en octobre ?';
    const question = await asVisitor('products/bivouac-2/questions', { text, author_name: 'Maël' });
    const advert = 'Des tentes à moitié prix sur tentes-pas-cheres.example ?';
    const spam = await asVisitor('products/bivouac-2/questions', { text: advert, author_name: 'Promo' });
    // Published with no answer: as a site publishing questions at once does, they never
    // pass through the moderation queue.
    for (const id of [question, spam]) {
      assert.equal((await stack.admin(`/questions/${id}/moderation`, { method: 'POST', body: { decision: 'publish' } })).status, 200);
    }
    const { page } = await openConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Moderation' }).click();
    const unanswered = page.getByRole('region', { name: /^Unanswered questions \(\d+\)$/ });
    const item = unanswered.getByRole('listitem').filter({ hasText: text });
    await item.waitFor();
    assert.match(await item.textContent(), /bivouac-2.*Maël/, 'the product and who asked, the markup shown as typed');
    // The queue's keys do not act on the queue from here: its first item stays pending.
    const pending = await asVisitor('products/bivouac-2/reviews', {
      rating: 4,
      title: 'En attente',
      text: 'Reste en attente de modération pendant ce test.',
      author_name: 'Ilan',
    });
    await page.getByRole('button', { name: 'NPS' }).click();
    await page.getByRole('button', { name: 'Moderation' }).click();
    await page.locator('li[aria-current="true"]', { hasText: 'En attente' }).waitFor();
    await item.getByRole('button', { name: 'Answer…' }).focus();
    await page.keyboard.press('p');
    await page.waitForTimeout(500);
    const statusOf = async (id) => (await stack.query(`SELECT status FROM reviews WHERE id = '${id}'`))[0].status;
    assert.equal(await statusOf(pending), 'pending');
    await stack.admin(`/reviews/${pending}/moderation`, { method: 'POST', body: { decision: 'reject', reason: 'Test' } });
    await item.getByRole('button', { name: 'Answer…' }).click();
    const answer = 'Oui : testée à 2 000 m en octobre, avec les haubans tendus.';
    await item.getByLabel('Your answer, published at once as the brand').fill(answer);
    await item.getByRole('button', { name: 'Publish the answer' }).click();
    await item.waitFor({ state: 'detached' });
    const answers = await stack.query(`SELECT body, badge, status FROM answers WHERE question_id = '${question}'`);
    assert.deepEqual(answers, [{ body: answer, badge: 'brand', status: 'published' }]);

    // One that should not be on the product page is taken down from here, with a reason.
    const advertItem = unanswered.getByRole('listitem').filter({ hasText: advert });
    await advertItem.getByRole('button', { name: 'Take down…' }).click();
    await advertItem.getByLabel('Reason for taking it down').fill('Publicité');
    await advertItem.getByRole('button', { name: 'Take it down' }).click();
    await advertItem.waitFor({ state: 'detached' });
    assert.deepEqual(
      (await stack.query(`SELECT status, rejection_reason FROM questions WHERE id = '${spam}'`))[0],
      { status: 'rejected', rejection_reason: 'Publicité' },
    );

    const visitor = await openPage(browser);
    opened.push(visitor);
    await visitor.page.goto(`${stack.demoOrigin}/`);
    const qa = visitor.page.locator('pv-qa');
    await qa.scrollIntoViewIfNeeded();
    await qa.locator('li', { hasText: text }).getByText(answer).waitFor();
    assert.equal(await qa.getByText(advert).count(), 0, 'the question taken down is off the page');
  });

  test('a webhook subscription is made once, and its secret shown', async () => {
    const { page } = await openConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Integrations' }).click();
    const sent = await loseFirstAnswer(page, '**/webhooks');
    const url = 'https://hooks.cairn.example/sent-again';
    await page.getByLabel('Endpoint URL').fill(url);
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('alert').filter({ hasText: 'could not be reached' }).waitFor();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    const shown = await page.locator('.secret code').textContent();

    assert.equal(sent.length, 2);
    assert.match(sent[0].idempotency_key, /^[\w-]{8,128}$/);
    assert.equal(sent[1].idempotency_key, sent[0].idempotency_key, 'sent again with the same key');
    const stored = await stack.query(`SELECT id, secret FROM webhook_subscriptions WHERE url = '${url}'`);
    assert.equal(stored.length, 1);
    assert.equal(shown, stored[0].secret, 'the secret shown is the one that signs');
    await page.getByRole('listitem', { name: url }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('status').filter({ hasText: 'Subscription deleted.' }).waitFor();
    assert.deepEqual(await stack.query(`SELECT active FROM webhook_subscriptions WHERE id = '${stored[0].id}'`), [{ active: 0 }]);
  });

  /**
   * Subscribes `url`, opens the console's integrations on it, and clicks its `button`
   * twice: the first click's answer is lost, the second goes through.
   */
  async function clickTwiceLosingFirstAnswer(url, button, pattern) {
    const { body: created } = await stack.admin('/webhooks', {
      method: 'POST',
      body: { url, events: ['nps.created'], idempotency_key: randomUUID() },
    });
    const { page } = await openConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Integrations' }).click();
    const subscription = page.getByRole('listitem', { name: url });
    const sent = await loseFirstAnswer(page, pattern);
    await subscription.getByRole('button', { name: button }).click();
    await page.getByRole('alert').filter({ hasText: 'could not be reached' }).waitFor();
    await subscription.getByRole('button', { name: button }).click();
    return { created, page, subscription, sent };
  }

  test('a secret rotation is made once: the secret shown signs, and the old one still does', async () => {
    const { created, page, subscription, sent } = await clickTwiceLosingFirstAnswer(
      'https://hooks.cairn.example/rotated-again',
      'Rotate secret',
      '**/rotate-secret',
    );
    await page.locator('.secret').filter({ hasText: 'New signing secret' }).waitFor();
    const shown = await page.locator('.secret code').textContent();

    assert.equal(sent.length, 2);
    assert.match(sent[0].idempotency_key, /^[\w-]{8,128}$/);
    assert.equal(sent[1].idempotency_key, sent[0].idempotency_key, 'sent again with the same key');
    const [stored] = await stack.query(`SELECT secret, previous_secret FROM webhook_subscriptions WHERE id = '${created.id}'`);
    assert.equal(shown, stored.secret, 'the secret shown is the one that signs');
    assert.equal(stored.previous_secret, created.secret, 'the secret the receiver checks with still signs for a day');

    // Another rotation after that one is a new one, with a new key.
    await subscription.getByRole('button', { name: 'Rotate secret' }).click();
    await page.locator('.secret code').filter({ hasNotText: shown }).waitFor();
    assert.notEqual(sent[2].idempotency_key, sent[0].idempotency_key);
    await stack.admin(`/webhooks/${created.id}/delete`, { method: 'POST' });
  });

  test('a test event is queued once', async () => {
    const { created, page, sent } = await clickTwiceLosingFirstAnswer(
      'https://hooks.cairn.example/tested-again',
      'Send test event',
      '**/test',
    );
    await page.getByRole('status').filter({ hasText: 'Test event queued' }).waitFor();

    assert.equal(sent.length, 2);
    assert.equal(sent[1].idempotency_key, sent[0].idempotency_key, 'sent again with the same key');
    const queued = async () => (await stack.query(`SELECT COUNT(*) AS n FROM webhook_deliveries WHERE subscription_id = '${created.id}'`))[0].n;
    assert.equal(await queued(), 1);
    await stack.admin(`/webhooks/${created.id}/delete`, { method: 'POST' });
  });
});

describe('a session that ends while a tab is open', () => {
  /** The console, with the requests it has made and not yet had answered. */
  async function openWatchedConsole() {
    const { context, page } = await openConsole();
    const open = new Set();
    page.on('request', (request) => open.add(request));
    for (const done of ['requestfinished', 'requestfailed']) page.on(done, (request) => open.delete(request));
    return { page, endSession: () => endSession(context, open) };
  }

  /**
   * Ends the session behind the page's back, as its two hours running out would, once the
   * page's own requests are answered (a page's reads can run on after it is left): the call
   * that finds the session over is then the one the test makes next.
   */
  async function endSession(context, open) {
    for (let waited = 0; open.size > 0; waited += 50) {
      if (waited > 30_000) throw new Error(`still waiting for ${[...open].map((request) => request.url()).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await context.clearCookies();
  }

  /** Waits for the dialog that asks to sign in again, and signs in through it. */
  async function signInAgain(page) {
    const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.getByText('what you were doing stays on the page').waitFor();
    await page.keyboard.press('Escape');
    assert.ok(await dialog.isVisible(), 'Escape does not dismiss it: signing in is the way back');
    await dialog.getByLabel('Admin token').fill(stack.adminToken);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  test('a write asks to sign in again over the page, and is done once signed in', async () => {
    const { page, endSession } = await openWatchedConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Integrations' }).click();
    const url = 'https://hooks.cairn.example/after-the-session';
    await page.getByLabel('Endpoint URL').fill(url);
    await endSession();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('dialog', { name: 'Your session has ended' }).waitFor();
    assert.deepEqual(await stack.query(`SELECT id FROM webhook_subscriptions WHERE url = '${url}'`), [], 'nothing stored without a session');
    assert.equal(await page.getByLabel('Endpoint URL').inputValue(), url, 'the URL typed is kept');
    await signInAgain(page);
    await page.getByText(`Subscribed ${url}.`).waitFor();
    assert.equal((await stack.query(`SELECT id FROM webhook_subscriptions WHERE url = '${url}'`)).length, 1, 'stored once');
    await page.getByRole('listitem', { name: url }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('listitem', { name: url }).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Privacy' }).click();
    await page.getByLabel('Their email address').fill('personne@example.org');
    await endSession();
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await signInAgain(page);
    await page.getByText('Nothing is stored about personne@example.org.').waitFor();
    assert.equal(await page.getByRole('alert').count(), 0, 'no error left behind');
  });

  test('a settings draft survives it and is saved once signed in again', async () => {
    const { page, endSession } = await openWatchedConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Settings' }).click();
    const contact = page.getByLabel('Contact page');
    const before = await contact.inputValue();
    const drafted = 'https://cairn.example/contact-after-the-session';
    await contact.fill(drafted);
    await endSession();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('dialog', { name: 'Your session has ended' }).waitFor();
    assert.equal(JSON.parse((await stack.query("SELECT config FROM sites WHERE id = 'cairn'"))[0].config).contact_url ?? '', before, 'nothing saved without a session');
    await signInAgain(page);
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.equal(await contact.inputValue(), drafted, 'the draft is kept');
    assert.equal(JSON.parse((await stack.query("SELECT config FROM sites WHERE id = 'cairn'"))[0].config).contact_url, drafted);
    await contact.fill(before);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  });

  test('the NPS tab asks for its three parts at once, and once left, asks to sign in for none of them', async () => {
    const { page } = await openConsole();
    const held = [];
    const allHeld = signal();
    await page.route(/\/nps\/(report|comments)\?/, (route) => {
      held.push(route);
      if (held.length === 3) allHeld.fulfil();
    });
    await signIn(page);
    // Not one after the other: the tab waits for one round trip, not three.
    let timer;
    await Promise.race([
      allHeld.promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${held.length} of the 3 reads asked for while none was answered`)), 15_000);
      }),
    ]).finally(() => clearTimeout(timer));
    // The marketer moves on to a tab that reads nothing: the NPS tab's reads are closed
    // there and then, so none comes back refused (the session having ended meanwhile) to
    // ask for a sign-in over a tab no longer shown.
    const closed = held.map((route) => page.waitForEvent('requestfailed', { predicate: (request) => request === route.request() }));
    await page.getByRole('button', { name: 'Exports' }).click();
    for (const request of await Promise.all(closed)) assert.equal(request.failure()?.errorText, 'net::ERR_ABORTED');
    for (const route of held) {
      await route.fulfill({ status: 401, contentType: 'application/json', body: '{"error":{"code":"unauthorized","message":"Sign in."}}' }).catch(() => {});
    }
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 200))));
    assert.equal(await page.getByRole('dialog', { name: 'Your session has ended' }).count(), 0, 'no sign-in asked for a tab no longer shown');
    assert.equal(await page.getByRole('alert').count(), 0);
  });

  test('a read refused on opening a tab is made once signed in again', async () => {
    const { page, endSession } = await openWatchedConsole();
    await signIn(page);
    await page.locator('#nps-score').waitFor();
    await endSession();
    await page.getByRole('button', { name: 'Advocates' }).click();
    await signInAgain(page);
    await page.getByRole('heading', { name: 'The ladder' }).waitFor();
    assert.equal(await page.getByRole('alert').count(), 0, 'the refused read leaves no error behind');
  });
});

describe('a console read that stalls', () => {
  test('is given up after 30 s with a message to try again, and the tab loads when opened again', async () => {
    const { page } = await openConsole();
    await page.clock.install();
    await signIn(page);
    let reads = 0;
    const stalled = signal();
    // The first read goes unanswered for good, like a laptop whose Wi-Fi dropped.
    await page.route('**/advocates?*', (route) => (++reads === 1 ? stalled.fulfil() : route.continue()));
    const abandoned = page.waitForEvent('requestfailed', { predicate: (request) => request.url().includes('/advocates?') });
    await page.getByRole('button', { name: 'Advocates' }).click();
    // The page's clock is moved on past the 30 s rather than waited for.
    await stalled.promise;
    await page.clock.fastForward(30_000);
    await page.getByRole('alert').filter({ hasText: 'could not be reached (no answer within 30 s); try again' }).waitFor();
    assert.equal((await abandoned).failure()?.errorText, 'net::ERR_ABORTED', 'the read is aborted, not left open');
    await page.getByRole('button', { name: 'NPS' }).click();
    await page.getByRole('button', { name: 'Advocates' }).click();
    await page.getByRole('heading', { name: 'The ladder' }).waitFor();
    assert.equal(reads, 2);
  });

  test('is closed at once when its tab is left, its connection freed', async () => {
    const { page } = await openConsole();
    // The page's clock stands still: the 30 s give-up cannot be what ends the read.
    await page.clock.install();
    await signIn(page);
    const stalled = signal();
    await page.route('**/advocates?*', () => stalled.fulfil());
    const abandoned = page.waitForEvent('requestfailed', { predicate: (request) => request.url().includes('/advocates?') });
    await page.getByRole('button', { name: 'Advocates' }).click();
    await stalled.promise;
    await page.getByRole('button', { name: 'Integrations' }).click();
    assert.equal((await abandoned).failure()?.errorText, 'net::ERR_ABORTED');
  });
});

describe('funnels in the console', () => {
  test('shows this week’s shared link and its visit', async () => {
    const PERSON = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
    const send = async (route, body) => {
      const response = await fetch(`${stack.api}/${route}`, {
        method: 'POST',
        headers: { origin: stack.demoOrigin, 'content-type': 'application/json', 'user-agent': PERSON },
        body: JSON.stringify(body),
      });
      assert.ok(response.ok, await response.clone().text());
      return response.json();
    };
    const link = await send('shares', { url: `${stack.demoOrigin}/`, visitor_id: `visitor-${randomUUID()}` });
    await send(`shares/${link.code}/visits`, { visitor_id: `visitor-${randomUUID()}` });
    const { page } = await openConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Funnels' }).click();
    const row = page.getByRole('row').nth(1);
    await row.waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    assert.deepEqual(cells.slice(0, 2), ['1', '1'], 'one link shared, one visit');
  });
});

describe('privacy requests in the console', () => {
  test('finds a person by email, exports everything about them, erases it from every table and logs it', async () => {
    const email = 'noemie.privee@example.org';
    const visitor_id = `visitor-${randomUUID()}`;
    const as = (extra) => ({ visitor_id, idempotency_key: randomUUID(), elapsed_ms: 30_000, ...extra });
    await asVisitor('products/bivouac-2/reviews', as({
      rating: 2, title: 'Trop lourde', text: 'Noémie trouve la tente trop lourde pour le GR20.',
      author_name: 'Noémie Privée', email, email_consent: true,
    }));
    await asVisitor('products/bivouac-2/questions', as({
      text: 'Noémie demande : existe-t-il une version ultralégère ?', author_name: 'Noémie Privée', email, email_consent: true,
    }));
    await asVisitor('nps', as({ score: 4, comment: 'Noémie attend mieux' }));

    const { page } = await openConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Privacy' }).click();
    await page.getByLabel('Their email address').fill(email.toUpperCase());
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByText(`Stored about ${email.toUpperCase()}:`).waitFor();
    for (const line of ['reviews: 1 row', 'questions: 1 row', 'nps_answers: 1 row']) await page.getByText(line, { exact: true }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download everything (JSON)' }).click(),
    ]);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(exported.tables.nps_answers[0].comment, 'Noémie attend mieux');

    await page.getByLabel('Erased by (your name)').fill('Léa, service client');
    await page.getByRole('button', { name: 'Erase everything' }).click();
    await page.getByRole('status').filter({ hasText: 'Erased:' }).waitFor();
    await page.getByRole('row', { name: /Léa, service client/ }).waitFor();

    const tables = (await stack.query("SELECT name FROM sqlite_master WHERE type = 'table'"))
      .map(({ name }) => name)
      .filter((name) => !['sites', 'erasures'].includes(name) && !name.startsWith('_cf') && !name.startsWith('sqlite'));
    const everything = (await Promise.all(tables.map((name) => stack.query(`SELECT * FROM "${name}"`)))).map((rows) => JSON.stringify(rows)).join('\n');
    for (const trace of ['Noémie', 'noemie', visitor_id]) assert.ok(!everything.includes(trace), `${trace} is still stored`);
    const [logged] = await stack.query("SELECT rows FROM erasures WHERE requested_by = 'Léa, service client'");
    const changed = JSON.parse(logged.rows);
    assert.deepEqual([changed.reviews, changed.questions, changed.nps_answers], [1, 1, 1], logged.rows);

    await page.getByLabel('Their email address').fill(email);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByText(`Nothing is stored about ${email}.`).waitFor();
  });
});

// Run after the tests above, so that the tabs' tables hold rows (shares, erasures).
describe('every console tab', () => {
  test('fits a phone: no page scrolls sideways, no field runs out of its box, and the chart keeps legible labels', async () => {
    const { page } = await openConsole();
    // 320 px is the width WCAG's reflow criterion asks for; 390 px a common phone.
    await page.setViewportSize({ width: 320, height: 740 });
    await signIn(page);
    await page.locator('#nps-score').waitFor();
    const labelPixels = await page.locator('svg.chart text').first().evaluate((text) => text.getBoundingClientRect().height);
    assert.ok(labelPixels >= 9, `chart labels are ${labelPixels.toFixed(1)} px high`);
    for (const width of [320, 390]) {
      await page.setViewportSize({ width, height: 740 });
      const tabs = await eachTab(page, async (tab) => {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.equal(overflow, 0, `the ${tab} page is ${overflow} px wider than a ${width} px phone`);
        const outside = await page.evaluate(() =>
          [...document.querySelectorAll('main input, main select, main textarea, main button')]
            .filter((control) => {
              const box = control.getBoundingClientRect();
              const frame = (control.closest('fieldset') ?? control.closest('main')).getBoundingClientRect();
              return box.width > 0 && (box.left < frame.left - 0.5 || box.right > frame.right + 0.5);
            })
            .map((control) => control.id || control.textContent || control.outerHTML.slice(0, 60)),
        );
        assert.deepEqual(outside, [], `on the ${tab} page at ${width} px, these run out of their box`);
      });
      assert.equal(tabs, 10);
    }
  });

  test('no tab has a WCAG 2.2 AA violation, on a laptop or a phone', async () => {
    // CSP bypassed only so that axe can be added to the page.
    const { context, page } = await openConsole({ bypassCSP: true });
    const audit = async (name) => {
      for (const width of [1000, 360]) {
        await page.setViewportSize({ width, height: 900 });
        assert.deepEqual(await accessibilityViolations(page), [], `the ${name} page, ${width} px wide`);
      }
      await page.setViewportSize({ width: 1000, height: 900 });
    };
    await page.getByLabel('Admin token').waitFor();
    await audit('sign-in');
    await signIn(page);
    await page.locator('#nps-score').waitFor();
    await eachTab(page, audit);

    await context.clearCookies();
    await page.getByRole('button', { name: 'NPS' }).click();
    await page.getByRole('dialog', { name: 'Your session has ended' }).waitFor();
    await audit('sign-in-again dialog');
  });
});

describe('exports in the console', () => {
  test('downloads a table as CSV with the session cookie', async () => {
    const { page } = await openConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Exports' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'nps_answers.csv' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'cairn-nps_answers.csv');
    const csv = await readFile(await download.path(), 'utf8');
    assert.match(csv.split('\r\n')[0], /^id,idempotency_key,visitor_id,/);
    assert.ok(csv.includes('Livrée avec un arceau cassé'), 'the answers this suite sent');
  });
});

describe('settings in the console', () => {
  test('a new accent colour shows in the preview, is saved, and the demo page wears it', async () => {
    const { page } = await openConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Settings' }).click();
    const light = page.getByRole('group', { name: 'Light colours' });
    const accent = light.getByLabel('Accent colour', { exact: true });
    const picker = light.getByLabel('Accent colour picker');
    assert.equal(await accent.inputValue(), '#1f5f4a');
    assert.equal(await picker.inputValue(), '#1f5f4a', 'the picker shows the saved colour');
    await accent.fill('red;} * {display:none');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('alert').filter({ hasText: 'config.theme.accent' }).waitFor();

    const profiles = page.getByLabel('Profiles on review sites (one per line: Name | URL)');
    assert.match(await profiles.inputValue(), /^Google \| https:\/\/g\.page\/r\/cairn-demo\/review/);
    await profiles.fill('Google | https://g.page/r/cairn-demo/review\nTrustpilot | https://fr.trustpilot.example/review/cairn');
    await picker.fill('#b3261e');
    assert.equal(await accent.inputValue(), '#b3261e', 'a picked colour fills the field');
    const chosen = page.getByRole('group', { name: 'Preview of the NPS widget in the light colours' }).locator('.chosen');
    assert.equal(await chosen.evaluate((span) => getComputedStyle(span).backgroundColor), 'rgb(179, 38, 30)');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const saved = JSON.parse((await stack.query("SELECT config FROM sites WHERE id = 'cairn'"))[0].config);
    assert.equal(saved.theme.accent, '#b3261e');
    assert.deepEqual(saved.review_profiles.map((profile) => profile.name), ['Google', 'Trustpilot']);

    const visitor = await openPage(browser);
    opened.push(visitor);
    await visitor.page.goto(`${stack.demoOrigin}/`);
    const nps = visitor.page.locator('pv-nps');
    await nps.getByRole('radio', { name: '9', exact: true }).click();
    const selected = nps.locator('.score input:checked + span');
    assert.equal(await selected.evaluate((span) => getComputedStyle(span).backgroundColor), 'rgb(179, 38, 30)');
  });
});

describe('the theme in the console', () => {
  test('the colour mode, dark colours, font and spacing are set, their contrast checked as typed, and worn by the widget on a dark page', async () => {
    const theme = async () => JSON.parse((await stack.query("SELECT config FROM sites WHERE id = 'cairn'"))[0].config).theme;
    const before = await theme();
    const { page } = await openConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Settings' }).click();
    const modes = page.getByRole('group', { name: 'Colour mode' });
    assert.equal(await modes.getByRole('radio', { name: /^Light/ }).isChecked(), true, 'the site’s mode is shown');
    const contrast = page.locator('.contrast[role=status]');
    assert.equal(await contrast.textContent(), 'Both palettes meet WCAG 2.2 AA contrast.');

    await modes.getByRole('radio', { name: /^Follow the page/ }).check();
    const dark = page.getByRole('group', { name: 'Dark colours' });
    const darkAccent = dark.getByLabel('Accent colour', { exact: true });
    assert.equal(await darkAccent.inputValue(), '#7cc4a4', 'the dark palette’s colours are shown');
    await darkAccent.fill('#303a35');
    await contrast.getByText('dark theme: accent #303a35 on background #18201c has a contrast of 1.41:1, below the 3:1 WCAG 2.2 AA asks for').waitFor();
    await dark.getByLabel('Accent colour picker').fill('#f2b84b');
    assert.equal(await darkAccent.inputValue(), '#f2b84b', 'a picked colour fills the field');
    await contrast.getByText('meet WCAG 2.2 AA').waitFor();
    const preview = page.getByRole('group', { name: 'Preview of the NPS widget in the dark colours' });
    assert.equal(await preview.locator('.chosen').evaluate((span) => getComputedStyle(span).backgroundColor), 'rgb(242, 184, 75)');
    assert.equal(await preview.evaluate((card) => getComputedStyle(card).backgroundColor), 'rgb(24, 32, 28)');
    assert.equal(await preview.locator('.send').evaluate((send) => getComputedStyle(send).color), 'rgb(13, 31, 24)', 'the text on the accent');

    await page.getByLabel('Spacing (the unit of every gap and padding)').fill('2rem;}');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('alert').filter({ hasText: 'config.theme.spacing' }).waitFor();
    assert.deepEqual(await theme(), before, 'nothing saved');

    await page.getByLabel('Spacing (the unit of every gap and padding)').fill('1.25rem');
    await page.getByLabel("Font (a CSS font stack; inherit: your page's font)").fill('Georgia, serif');
    assert.equal(await preview.evaluate((card) => getComputedStyle(card).paddingTop), '20px', 'the preview takes the spacing');
    assert.equal(await preview.evaluate((card) => getComputedStyle(card).fontFamily), 'Georgia, serif');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const saved = await theme();
    assert.equal(saved.mode, 'auto');
    assert.equal(saved.dark.accent, '#f2b84b');
    assert.equal(saved.font, 'Georgia, serif');
    assert.equal(saved.spacing, '1.25rem');
    assert.equal(saved.accent, before.accent, 'the light colours are as they were');

    await page.reload();
    await page.getByRole('button', { name: 'Settings' }).click();
    assert.equal(await modes.getByRole('radio', { name: /^Follow the page/ }).isChecked(), true, 'the saved mode is shown');

    const visitor = await openPage(browser);
    opened.push(visitor);
    await visitor.page.emulateMedia({ colorScheme: 'dark' });
    await visitor.page.goto(`${stack.demoOrigin}/`);
    const nps = visitor.page.locator('pv-nps');
    await nps.getByRole('radio', { name: '9', exact: true }).click();
    assert.equal(await nps.locator('.score input:checked + span').evaluate((span) => getComputedStyle(span).backgroundColor), 'rgb(242, 184, 75)');
    assert.equal(await nps.locator('.card').evaluate((card) => getComputedStyle(card).fontFamily), 'Georgia, serif');
    await visitor.page.emulateMedia({ colorScheme: 'light' });
    const lightAccent = `rgb(${[1, 3, 5].map((at) => parseInt(before.accent.slice(at, at + 2), 16)).join(', ')})`;
    await visitor.page.waitForFunction((expected) => {
      const span = document.querySelector('pv-nps').shadowRoot.querySelector('.score input:checked + span');
      return getComputedStyle(span).backgroundColor === expected;
    }, lightAccent);

    // Back to the demo's light theme for the tests that follow.
    for (const [label, value] of [
      ['Spacing (the unit of every gap and padding)', before.spacing ?? '1rem'],
      ["Font (a CSS font stack; inherit: your page's font)", before.font],
    ]) {
      await page.getByLabel(label).fill(value);
    }
    await modes.getByRole('radio', { name: /^Light/ }).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.equal((await theme()).mode, 'light');
  });
});

describe('the whole configuration in the console', () => {
  test('the referral programme, moderation, language and branding are checked, saved and read by the widgets', async () => {
    const config = async () => JSON.parse((await stack.query("SELECT config FROM sites WHERE id = 'cairn'"))[0].config);
    const before = await config();
    const { page } = await openConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Brand name').scrollIntoViewIfNeeded();
    const saveButton = await page.getByRole('button', { name: 'Save settings' }).boundingBox();
    assert.ok(saveButton.y + saveButton.height <= page.viewportSize().height, `the save button stays in view at the page's top (y=${saveButton.y})`);
    const programme = page.getByRole('group', { name: 'Referral programme' });
    const offer = programme.getByLabel('What a referred friend is offered');
    assert.equal(await offer.inputValue(), before.referral.friend_offer, 'the saved offer is shown');
    const hint = await offer.evaluate((input) => document.getElementById(input.getAttribute('aria-describedby'))?.textContent);
    assert.match(hint ?? '', /^Read by both: the advocate sees “Your friends get …”/, 'the field says who reads the offer');
    await offer.fill('15 € de remise');
    await programme.getByLabel("Points to the advocate for each friend's first order").fill('750');
    const landing = programme.getByLabel(/^Where referral links land/);
    await landing.fill('https://elsewhere.example/parrainage');
    const save = async () => page.getByRole('button', { name: 'Save settings' }).click();
    await save();
    await page.getByRole('alert').filter({ hasText: 'config.referral.landing_url must be an http(s) page on one of the allowed origins' }).waitFor();
    await landing.fill(`${stack.demoOrigin}/#parrainage`);
    const remembered = programme.getByLabel("Days a friend's visit is remembered before they order");
    await remembered.fill('0');
    await save();
    await page.getByRole('alert').filter({ hasText: 'config.referral.attribution_days must be 1 to 3650' }).waitFor();
    await remembered.fill('forty');
    await save();
    await page.getByRole('alert').filter({ hasText: 'config.referral.attribution_days must be 1 to 3650' }).waitFor();
    assert.deepEqual(await config(), before, 'nothing saved');

    await remembered.fill('45');
    const caps = page.getByRole('group', { name: 'Most points one person earns a day (empty: no limit)' });
    await caps.getByLabel('For reviews').fill('lots');
    await save();
    await page.getByRole('alert').filter({ hasText: 'config.rewards.daily_caps.review must be at most 10000' }).waitFor();
    await caps.getByLabel('For reviews').fill('50');
    await page.getByLabel('Visits one link earns points for a day').fill('5');
    const moderation = page.getByRole('group', { name: 'Moderation' });
    const questionsAtOnce = moderation.getByLabel('Publish questions at once');
    assert.equal(await questionsAtOnce.isChecked(), before.qa?.publish_questions_at_once ?? false);
    await questionsAtOnce.check();
    await page.getByLabel('Show “Powered by Portevoix” under the widgets').check();
    const language = page.getByLabel('Language when the page names none');
    assert.equal(await language.inputValue(), 'fr');
    await language.selectOption('en');
    await save();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const saved = await config();
    assert.equal(saved.referral.friend_offer, '15 € de remise');
    assert.equal(saved.referral.advocate_points, 750);
    assert.equal(saved.referral.landing_url, `${stack.demoOrigin}/#parrainage`);
    assert.equal(saved.referral.attribution_days, 45);
    assert.equal(saved.qa.publish_questions_at_once, true);
    assert.equal(saved.show_branding, true);
    assert.equal(saved.default_locale, 'en');
    assert.equal(saved.rewards.daily_caps.review, 50);
    assert.equal(saved.rewards.daily_caps.answer, null, 'an empty cap is none');
    assert.equal(saved.rewards.visits_per_link_per_day, 5);

    const visitor = await openPage(browser);
    opened.push(visitor);
    await visitor.page.goto(`${stack.demoOrigin}/`);
    await visitor.page.locator('pv-referral').scrollIntoViewIfNeeded();
    await visitor.page.locator('pv-referral').getByText('Vos amis profitent de 15 € de remise ; vous gagnez 750 points à chaque première commande.').waitFor();
    await visitor.page.locator('pv-nps').getByText('Propulsé par Portevoix').waitFor();

    // Back to the demo's programme and rules for the tests that follow.
    await offer.fill(before.referral.friend_offer);
    await programme.getByLabel("Points to the advocate for each friend's first order").fill(String(before.referral.advocate_points));
    await landing.fill('');
    await remembered.fill(String(before.referral.attribution_days));
    await questionsAtOnce.uncheck();
    await caps.getByLabel('For reviews').fill(before.rewards?.daily_caps?.review == null ? '' : String(before.rewards.daily_caps.review));
    await page.getByLabel('Visits one link earns points for a day').fill(String(before.rewards?.visits_per_link_per_day ?? 20));
    await page.getByLabel('Show “Powered by Portevoix” under the widgets').uncheck();
    await language.selectOption('fr');
    await save();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const restored = await config();
    assert.deepEqual(restored.referral, { ...before.referral, landing_url: null }, 'the programme is back');
    assert.equal(restored.show_branding, false);
    assert.equal(restored.rewards.daily_caps.review ?? null, before.rewards?.daily_caps?.review ?? null);
  });
});

describe('texts in the console', () => {
  test('a text said the brand’s way is checked, saved and read by visitors; emptied, the default is back', async () => {
    const question = 'Quelle est la probabilité que vous recommandiez {brand} à un ami ou un collègue ?';
    const copy = async () => JSON.parse((await stack.query("SELECT config FROM sites WHERE id = 'cairn'"))[0].config).copy;
    const { page } = await openConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Settings' }).click();
    const texts = page.getByRole('group', { name: 'Texts' });
    assert.equal(await texts.getByLabel('Language').inputValue(), 'fr', 'the site’s own language first');
    assert.deepEqual(await texts.getByLabel('Language').locator('option').allTextContents(), ['English', 'French'], 'named by the browser');
    await texts.getByLabel('Find a text').fill('RECOMMANDIEZ');
    assert.equal(await texts.locator('.text-group input').count(), 1, 'found whatever the case');
    const field = texts.getByLabel(question, { exact: true });
    assert.equal(await field.inputValue(), '');

    await field.fill('Recommanderiez-vous {marque} à un proche ?');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const refused = await page.getByRole('alert').filter({ hasText: 'config.copy.fr.nps.question' }).textContent();
    assert.match(refused, /\{marque\}, which this text does not fill in \(it fills in \{brand\}\)/);
    assert.deepEqual(await copy(), {}, 'nothing saved');

    await field.fill('Recommanderiez-vous {brand} à un proche ?');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.deepEqual(await copy(), { fr: { 'nps.question': 'Recommanderiez-vous {brand} à un proche ?' } });

    const visitor = await openPage(browser);
    opened.push(visitor);
    await visitor.page.goto(`${stack.demoOrigin}/`);
    await visitor.page.locator('pv-nps').getByText('Recommanderiez-vous Cairn à un proche ?').waitFor();

    await page.reload();
    await page.getByRole('button', { name: 'Settings' }).click();
    await texts.getByLabel('Find a text').fill('recommend');
    await texts.getByLabel('Language').selectOption('en');
    const english = texts.getByLabel('How likely are you to recommend {brand} to a friend or colleague?', { exact: true });
    assert.equal(await english.inputValue(), '', 'English keeps its default');
    await texts.getByLabel('Language').selectOption('fr');
    await texts.getByLabel('Find a text').fill('nps.question');
    assert.equal(await field.inputValue(), 'Recommanderiez-vous {brand} à un proche ?', 'the saved text is shown');
    await texts.getByLabel('Find a text').fill('zzzz');
    await texts.getByRole('status').filter({ hasText: 'No text matches.' }).waitFor();
    await texts.getByLabel('Find a text').fill('');
    const nps = texts.locator('details', { hasText: 'NPS survey' });
    assert.equal(await nps.locator('summary').textContent(), 'NPS survey · 12 texts, 1 said your way');
    assert.equal(await field.isVisible(), false, 'sections stay closed until asked, so the save button is near');
    await nps.locator('summary').click();
    await field.fill('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.deepEqual(await copy(), {}, 'emptied, the override is gone');
  });
});

describe('settings over HTTP', () => {
  test('take up to 64 KB (copy in many languages) and refuse more, saving nothing', async () => {
    const settings = await (await fetch(`${stack.api}/settings`, { headers: { authorization: `Bearer ${stack.adminToken}` } })).text();
    const post = (bytes) =>
      fetch(`${stack.api}/settings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
        body: settings + ' '.repeat(bytes - settings.length),
      });
    assert.equal((await post(60 * 1024)).status, 200);
    const before = (await stack.query("SELECT config FROM sites WHERE id = 'cairn'"))[0].config;
    const refused = await post(80 * 1024);
    assert.equal(refused.status, 413);
    assert.equal((await refused.json()).error.code, 'payload_too_large');
    assert.equal((await stack.query("SELECT config FROM sites WHERE id = 'cairn'"))[0].config, before);
  });

  test('refuse a Turnstile site key that is not a plain token, or of the wrong type, naming it and saving nothing', async () => {
    const settings = await (await fetch(`${stack.api}/settings`, { headers: { authorization: `Bearer ${stack.adminToken}` } })).json();
    const before = (await stack.query("SELECT config FROM sites WHERE id = 'cairn'"))[0].config;
    for (const key of ['"></script><script>alert(1)//', 'x'.repeat(201), 42]) {
      const refused = await fetch(`${stack.api}/settings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...settings, config: { ...settings.config, turnstile_site_key: key } }),
      });
      assert.equal(refused.status, 422, String(key));
      const { error } = await refused.json();
      assert.equal(error.field, 'config.turnstile_site_key', String(key));
      assert.equal((await stack.query("SELECT config FROM sites WHERE id = 'cairn'"))[0].config, before);
    }
  });
});

describe('integrations in the console', () => {
  test('subscribes a webhook, shows its secret once, sends a test event, logs its delivery and rotates its secret', async () => {
    const received = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push(JSON.parse(body));
        response.writeHead(204).end();
      });
    });
    await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const { page } = await openConsole();
      await signIn(page);
      await page.getByRole('button', { name: 'Integrations' }).click();
      await page.getByLabel('Endpoint URL').fill(`http://127.0.0.1:${receiver.address().port}/hook`);
      await page.getByRole('button', { name: 'Subscribe' }).click();
      const secret = await page.locator('.secret code').textContent();
      assert.match(secret, /^whsec_/);
      await page.getByRole('button', { name: 'Send test event' }).click();
      await page.getByRole('status').filter({ hasText: 'Test event queued' }).waitFor();
      assert.equal((await fetch(`${stack.worker.origin}/__scheduled?cron=*+*+*+*+*`)).status, 200);
      assert.deepEqual(received.map((event) => event.type), ['webhook.test']);
      await page.getByRole('button', { name: 'Delivery log' }).click();
      await page.getByRole('row', { name: /webhook\.test 1 204 delivered/ }).waitFor();
      await page.reload();
      await page.getByRole('button', { name: 'Integrations' }).click();
      await page.getByRole('button', { name: 'Send test event' }).waitFor();
      assert.equal(await page.locator('.secret').count(), 0, 'the secret is not shown again');

      await page.getByRole('button', { name: 'Rotate secret' }).click();
      await page.locator('.secret').filter({ hasText: 'New signing secret' }).waitFor();
      const rotated = await page.locator('.secret code').textContent();
      assert.match(rotated, /^whsec_/);
      assert.notEqual(rotated, secret);
    } finally {
      receiver.close();
    }
  });
});

describe('the console session over HTTP', () => {
  test('the cookie has the right flags and opens only its own site', async () => {
    const signIn = await fetch(`${stack.api}/console/session`, {
      method: 'POST',
      headers: { origin: stack.worker.origin, 'content-type': 'application/json' },
      body: JSON.stringify({ token: stack.adminToken }),
    });
    assert.equal(signIn.status, 200);
    const setCookie = signIn.headers.get('set-cookie');
    for (const flag of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/v1/sites/cairn/', 'Max-Age=7200']) {
      assert.ok(setCookie.includes(flag), `${setCookie} lacks ${flag}`);
    }
    const cookie = setCookie.split(';')[0];
    const own = await fetch(`${stack.api}/nps/report`, { headers: { cookie } });
    assert.equal(own.status, 200);
    const other = await fetch(`${stack.worker.origin}/v1/sites/cairn-nuit/nps/report`, { headers: { cookie } });
    assert.equal(other.status, 401, "another site's routes refuse it");
    const fromBrandPage = await fetch(`${stack.api}/nps/report`, { headers: { cookie, origin: stack.demoOrigin } });
    assert.equal(fromBrandPage.status, 403, 'a page of the brand cannot use it');
  });

  test('the console page is never framed and runs nothing but its own files', async () => {
    const response = await fetch(`${stack.worker.origin}/console`);
    assert.equal(response.status, 200);
    const policy = response.headers.get('content-security-policy');
    assert.match(policy, /frame-ancestors 'none'/);
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
  });
});
