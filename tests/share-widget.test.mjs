// <pv-share> in headless Chromium on the demo page: a visitor shares by copy-link (the
// clipboard read back), a friend opens the link in another browser and lands on the
// page, and the sharer sees their balance go up after a reload.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { accessibilityViolations, launchBrowser, openPage, startStackAndBrowser, waitForEvent } from './browser.mjs';
import { newId } from './support.mjs';

// Headless Chromium says "HeadlessChrome", which the worker rightly takes for a robot.
const PERSON = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
let stack;
let browser;
const opened = [];

before(async () => {
  [stack, browser] = await startStackAndBrowser();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});
afterEach(async () => {
  const problems = opened.flatMap((visitor) => visitor.problems());
  await Promise.all(opened.splice(0).map((visitor) => visitor.context.close()));
  assert.deepEqual(problems, [], 'a page logged errors');
});

async function visitor(options = {}) {
  const opened_ = await openPage(browser, { userAgent: PERSON, ...options });
  opened.push(opened_);
  return opened_;
}

const shareReady = async (page) => {
  await page.locator('pv-share').scrollIntoViewIfNeeded();
  await waitForEvent(page, 'pv:ready {"widget":"share"');
};

describe('<pv-share> on the demo page', () => {
  test('a link copied by one visitor and opened by a friend raises the sharer\u2019s balance', async () => {
    const sharer = await visitor();
    await sharer.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.demoOrigin });
    const page = sharer.page;
    await page.goto(`${stack.demoOrigin}/`);
    await shareReady(page);
    const widget = page.locator('pv-share');
    await widget.getByText('Gagnez 50 points pour chaque ami qui visite grâce à votre lien.').waitFor();
    assert.equal(await widget.locator('.balance').count(), 0, 'no points yet');

    await widget.getByRole('button', { name: 'Partager' }).click();
    // Headless Chromium on Linux has no share sheet: the link is what "Share" gives, so the
    // button goes and the link field takes focus, its text selected for copying by hand.
    const linkField = widget.getByLabel('Votre lien personnel');
    await linkField.waitFor();
    assert.equal(await widget.getByRole('button', { name: 'Partager' }).count(), 0, 'the spent Share button is gone');
    assert.deepEqual(
      await linkField.evaluate((input) => [input.getRootNode().activeElement === input, input.selectionEnd - input.selectionStart === input.value.length]),
      [true, true],
      'the link field has focus and its text is selected',
    );
    await widget.getByRole('button', { name: 'Copier le lien' }).click();
    await widget.getByRole('status').getByText('Lien copié !').waitFor();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(link, new RegExp(`^${stack.worker.origin}/s/[0-9a-f]{12}$`));
    assert.equal(await linkField.inputValue(), link);
    const whatsapp = await widget.locator('a[data-channel="whatsapp"]').getAttribute('href');
    assert.ok(whatsapp.startsWith('https://wa.me/?text=') && whatsapp.includes(encodeURIComponent(link).replaceAll('.', '%2E').replaceAll('-', '%2D')));

    // The sharer opening their own link earns nothing.
    const ownReported = page.waitForResponse((response) => response.url().includes('/visits'));
    await page.goto(link);
    assert.equal((await (await ownReported).json()).outcome, 'own_link');

    const friend = await visitor();
    const visitReported = friend.page.waitForResponse((response) => response.url().includes('/visits'));
    await friend.page.goto(link);
    const report = await (await visitReported).json();
    assert.deepEqual(report, { counted: true, outcome: 'counted', points: 50 });
    assert.equal(new URL(friend.page.url()).searchParams.get('pv_share'), null, 'the marker leaves the address bar');
    assert.equal(new URL(friend.page.url()).origin, stack.demoOrigin);

    await page.reload();
    await shareReady(page);
    await widget.locator('.balance[data-balance="55"]').waitFor();
    assert.equal(await widget.locator('.balance').textContent(), 'Vos points\u00a0: 55');
    await widget.getByText('Historique').click();
    const reasons = await widget.locator('.history li').evaluateAll((items) => items.map((item) => item.dataset.reason));
    assert.deepEqual(reasons, ['visit', 'share']);
    assert.deepEqual(await widget.locator('.history .entry-points').allTextContents(), ['+50', '+5']);
  });

  test('a visitor who signs in while their anonymous points are on their way sees the customer\u2019s points, not those when they come', async () => {
    const adjusted = await stack.admin('/points/adjust', {
      method: 'POST',
      body: { customer_id: 'demo-camille', points: 777, reason: 'Cadeau de bienvenue', idempotency_key: newId() },
    });
    assert.equal(adjusted.status, 200);
    const { page } = await visitor();
    await page.goto(`${stack.demoOrigin}/`);
    await shareReady(page);
    const widget = page.locator('pv-share');
    // Sharing gives this browser a visitor id, whose points the next visit asks for.
    await widget.getByRole('button', { name: 'Partager' }).click();
    await widget.getByLabel('Votre lien personnel').waitFor();
    const anonymousPoints = (request) => request.url().includes('/me/points?') && !request.headers().authorization;
    const held = new Promise((resolve) => page.route(/\/me\/points\?/, (route) => (anonymousPoints(route.request()) ? resolve(route) : route.continue())));
    await page.reload();
    await shareReady(page);
    const anonymous = await held;

    await page.getByRole('button', { name: 'Se connecter (cliente de démo)' }).click();
    const balance = widget.locator('.balance');
    await balance.waitFor();
    const customerBalance = await balance.getAttribute('data-balance');
    assert.ok(Number(customerBalance) >= 777, customerBalance);
    // Every balance the widget shows from now on is recorded, for 1.5 s after the late
    // anonymous answer (the widget reads an answer within milliseconds).
    await page.evaluate(() => {
      const root = document.querySelector('pv-share').shadowRoot;
      const record = () => root.querySelector('.balance')?.dataset.balance ?? null;
      window.shownBalances = [record()];
      new MutationObserver(() => window.shownBalances.push(record())).observe(root, { childList: true, subtree: true, attributes: true, characterData: true });
    });
    const arrived = page.waitForResponse((response) => anonymousPoints(response.request()));
    await anonymous.continue();
    await arrived;
    await page.waitForTimeout(1_500);
    assert.deepEqual(new Set(await page.evaluate(() => window.shownBalances)), new Set([customerBalance]));
  });

  test('meets WCAG 2.2 AA before sharing, with its link and copy confirmation, and with points and their history', async () => {
    const { page } = await visitor({ bypassCSP: true });
    await page.goto(`${stack.demoOrigin}/`);
    await shareReady(page);
    assert.deepEqual(await accessibilityViolations(page, 'pv-share'), [], 'before sharing');

    const widget = page.locator('pv-share');
    await widget.getByRole('button', { name: 'Partager' }).click();
    const link = await widget.getByLabel('Votre lien personnel').inputValue();
    await widget.getByRole('button', { name: 'Copier le lien' }).click();
    await widget.getByRole('status').waitFor();
    assert.deepEqual(await accessibilityViolations(page, 'pv-share'), [], 'with the link');

    const code = new URL(link).pathname.split('/').pop();
    const visit = await fetch(`${stack.api}/shares/${code}/visits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.demoOrigin, 'user-agent': PERSON },
      body: JSON.stringify({ visitor_id: newId() }),
    });
    assert.equal((await visit.json()).outcome, 'counted');
    await page.reload();
    await shareReady(page);
    await widget.locator('.balance[data-balance="55"]').waitFor();
    await widget.getByText('Historique').click();
    await widget.locator('.history li').first().waitFor();
    assert.deepEqual(await accessibilityViolations(page, 'pv-share'), [], 'with points and their history');
  });

  // A page served without TLS has neither SubtleCrypto nor crypto.randomUUID: the loader
  // checks the Wasm with fetch's own integrity and makes the visitor id from getRandomValues.
  test('a friend landing on a page served over plain HTTP is counted, and the widget draws there', async () => {
    const plainOrigin = `http://shop.test:${new URL(stack.demoOrigin).port}`;
    const settings = await stack.admin('/settings');
    const allowed_origins = [...settings.body.allowed_origins, plainOrigin];
    assert.equal((await stack.admin('/settings', { method: 'POST', body: { ...settings.body, allowed_origins } })).status, 200);
    const created = await fetch(`${stack.api}/shares`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.demoOrigin, 'user-agent': PERSON },
      body: JSON.stringify({ url: `${plainOrigin}/`, visitor_id: newId() }),
    });
    assert.equal(created.status, 201);
    const { code, link } = await created.json();

    const plainBrowser = await launchBrowser({ args: ['--host-resolver-rules=MAP shop.test 127.0.0.1'] });
    try {
      const friend = await openPage(plainBrowser, { userAgent: PERSON });
      const visitReported = friend.page.waitForResponse((response) => response.url().includes('/visits'));
      await friend.page.goto(link);
      assert.equal(new URL(friend.page.url()).origin, plainOrigin);
      assert.equal(await friend.page.evaluate(() => isSecureContext), false, 'the landing page is not a secure context');
      assert.equal((await (await visitReported).json()).outcome, 'counted');
      const visitor = await friend.page.evaluate(() => localStorage.getItem('portevoix.visitor'));
      assert.match(visitor, /^\d{1,3}(-\d{1,3}){15}$/);
      const stored = await stack.query(`SELECT visitor_id FROM share_visits WHERE code = '${code}'`);
      assert.deepEqual(stored.map((row) => row.visitor_id), [visitor], 'the worker stored the id the page keeps');
      await shareReady(friend.page);
      await friend.page.locator('pv-share').getByRole('button', { name: 'Partager' }).waitFor();
      assert.deepEqual(friend.problems(), [], 'the plain-HTTP page logged errors');
    } finally {
      await plainBrowser.close();
    }
  });
});
