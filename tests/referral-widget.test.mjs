// <pv-referral> in headless Chromium on the demo page: an advocate joins and gets their
// link, a friend lands through it in another browser and sees the offer, and a signed
// conversion from the brand's server credits both, which the advocate sees after reload.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { after, afterEach, before, describe, test } from 'node:test';
import { accessibilityViolations, openPage, startStackAndBrowser, waitForEvent } from './browser.mjs';
import { atStartOfRateWindow, clearOfUtcMidnight, newId } from './support.mjs';

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
  const problems = opened.flatMap((visitor) => visitor.problems(visitor.allowed));
  await Promise.all(opened.splice(0).map((visitor) => visitor.context.close()));
  assert.deepEqual(problems, [], 'a page logged errors');
});

async function visitor(options = {}) {
  const page = await openPage(browser, { userAgent: PERSON, ...options });
  opened.push(page);
  return page;
}

const referralReady = async (page) => {
  await page.locator('pv-referral').scrollIntoViewIfNeeded();
  await waitForEvent(page, 'pv:ready {"widget":"referral"');
};

/**
 * An advocate who joined through the widget on the demo page, in a browser whose page may
 * log the worker's 429s (these tests ask for them).
 */
async function joinedAdvocate(name, email) {
  const advocate = await visitor();
  advocate.allowed = [/Failed to load resource.*429/];
  await advocate.page.goto(`${stack.demoOrigin}/`);
  await referralReady(advocate.page);
  const widget = advocate.page.locator('pv-referral');
  await widget.getByLabel('Votre nom').fill(name);
  await widget.getByLabel('Votre e-mail').fill(email);
  await widget.getByLabel(/J’accepte le programme de parrainage/).check();
  await widget.getByRole('button', { name: 'Obtenir mon lien de parrainage' }).click();
  await widget.getByLabel('Votre lien personnel').waitFor();
  const code = await widget.locator('.referral-card').getAttribute('data-code');
  const visitorId = await advocate.page.evaluate(() => localStorage.getItem('portevoix.visitor'));
  return { advocate, widget, code, visitorId };
}

function signedConversion(body) {
  const raw = JSON.stringify(body);
  const at = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', stack.customerSecret).update(`${at}.${raw}`).digest('hex');
  return fetch(`${stack.worker.origin}/v1/sites/${stack.site}/conversions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'portevoix-signature': `t=${at},v1=${signature}` },
    body: raw,
  });
}

describe('<pv-referral> on the demo page', () => {
  test('an advocate\u2019s link brings a friend who sees the offer; a signed order credits both', async () => {
    const advocate = await visitor();
    await advocate.page.goto(`${stack.demoOrigin}/`);
    await referralReady(advocate.page);
    const widget = advocate.page.locator('pv-referral');
    await widget.getByText('Vos amis profitent de 10 € de remise sur la première commande').waitFor();
    await widget.getByRole('button', { name: 'Obtenir mon lien de parrainage' }).click();
    await widget.getByText('Cochez la case pour rejoindre le programme.').waitFor();
    await widget.getByLabel('Votre nom').fill('Camille Martin');
    await widget.getByLabel('Votre e-mail').fill('camille@cairn.example');
    await widget.getByLabel(/J’accepte le programme de parrainage/).check();
    await widget.getByRole('button', { name: 'Obtenir mon lien de parrainage' }).click();
    const linkField = widget.getByLabel('Votre lien personnel');
    await linkField.waitFor();
    const link = await linkField.inputValue();
    const code = await widget.locator('.referral-card').getAttribute('data-code');
    assert.equal(link, `${stack.worker.origin}/r/${code}`);

    // Pasted from an address book: names, quotes, an address twice.
    await widget.getByLabel(/Invitez jusqu’à 5 amis/).fill('Dominique Petit <dominique@x.example>,\n"Martin, Lou" <lou@x.example>; LOU@x.example');
    await widget.getByRole('button', { name: 'Envoyer les invitations' }).click();
    await widget.getByText('Invitations envoyées : 2 (encore 18 possibles aujourd’hui).').waitFor();
    // No mail is sent on a local run: the demo's outbox page shows what waits for a sender.
    const outbox = await advocate.context.newPage();
    await outbox.goto(`${stack.demoOrigin}/outbox.html`);
    await outbox.getByText('2 e-mail(s) en attente d’envoi.').waitFor();
    assert.match(await outbox.locator('#outbox li').first().textContent(), new RegExp(`À (dominique|lou)@x\\.example[\\s\\S]*${link.replaceAll('.', '\\.')}`));
    await outbox.close();

    const friend = await visitor();
    await friend.page.goto(link);
    await referralReady(friend.page);
    await friend.page
      .locator('pv-referral')
      .getByText('10 € de remise sur la première commande, grâce à Camille.')
      .waitFor();
    assert.equal(new URL(friend.page.url()).searchParams.get('pv_ref'), null);
    const kept = await friend.page.evaluate(() => JSON.parse(localStorage.getItem('portevoix.referral')));
    assert.equal(kept.code, code, 'the code is remembered first-party');

    const response = await signedConversion({
      order_id: 'DEMO-ORDER-1',
      referral_code: code,
      buyer_email_sha256: createHash('sha256').update('dominique@x.example').digest('hex'),
      buyer_customer_id: 'dominique',
      amount_cents: 34900,
      currency: 'EUR',
    });
    assert.equal(response.status, 201);
    assert.equal((await response.json()).credited, true);

    await advocate.page.reload();
    await referralReady(advocate.page);
    await widget.locator('.stats[data-converted="1"]').waitFor();
    assert.match(await widget.locator('.stats').textContent(), /Invités\u00a0: 2 · Visites\u00a0: 1 · Commandes\u00a0: 1 · Points gagnés\u00a0: 500/);
    const sharerId = await advocate.page.evaluate(() => localStorage.getItem('portevoix.visitor'));
    const points = (await stack.query(`SELECT SUM(points) AS points FROM ledger WHERE account IN ('visitor:${sharerId}', 'customer:dominique')`))[0].points;
    assert.equal(points, 700, 'both sides, once');

    // A moment without network as the card is asked for: asked again, the advocate sees
    // their link, not the form to join.
    advocate.allowed = [/ERR_INTERNET_DISCONNECTED/];
    let cut = 0;
    await advocate.page.route('**/referrals/mine?*', (route) => (cut++ === 0 ? route.abort('internetdisconnected') : route.continue()));
    await advocate.page.reload();
    await referralReady(advocate.page);
    assert.equal(cut, 2, 'cut once, asked again once');
    assert.equal(await widget.locator('.referral-card').getAttribute('data-code'), code);
    assert.equal(await widget.locator('form.join').count(), 0);
  });

  test('an advocate asking for more invitations than the day has left is told so, and sends those left', async () => {
    await clearOfUtcMidnight();
    const { advocate, widget, code, visitorId } = await joinedAdvocate('Sacha Roux', 'sacha@cairn.example');
    // 19 of the demo's 20 invitations a day, sent earlier from this browser.
    for (const [batch, count] of [5, 5, 5, 4].entries()) {
      const emails = Array.from({ length: count }, (_, index) => `earlier-${batch}-${index}-${code}@x.example`.toLowerCase());
      const response = await fetch(`${stack.worker.origin}/v1/sites/${stack.site}/referrals/${code}/invitations`, {
        method: 'POST',
        headers: { origin: stack.demoOrigin, 'content-type': 'application/json' },
        body: JSON.stringify({ visitor_id: visitorId, emails }),
      });
      assert.equal(response.status, 200, await response.text());
    }

    const invites = widget.getByLabel(/Invitez jusqu’à 5 amis/);
    await invites.fill('ana@x.example, ben@x.example');
    await widget.getByRole('button', { name: 'Envoyer les invitations' }).click();
    await widget.getByText('C’est plus d’invitations qu’il ne vous en reste aujourd’hui : réessayez demain, ou avec moins d’adresses.').waitFor();
    assert.equal(await invites.inputValue(), 'ana@x.example, ben@x.example', 'the addresses stay to be trimmed');
    const [error] = await advocate.page.$$eval('#event-log li', (items) =>
      items.map((item) => item.textContent).filter((text) => text.startsWith('pv:error ')).map((text) => JSON.parse(text.slice(9))));
    assert.equal(error.code, 'invitations_exhausted');

    await invites.fill('ana@x.example');
    await widget.getByRole('button', { name: 'Envoyer les invitations' }).click();
    await widget.getByText('Invitations envoyées : 1 (encore 0 possibles aujourd’hui).').waitFor();
    const mailed = await stack.query("SELECT recipient FROM mail_outbox WHERE template = 'referral_invitation' AND recipient IN ('ana@x.example', 'ben@x.example')");
    assert.deepEqual(mailed.map((row) => row.recipient), ['ana@x.example']);
  });

  test('an advocate over the worker\u2019s per-minute limit is asked to wait, not told the day is spent', async () => {
    await clearOfUtcMidnight();
    const { advocate, widget, visitorId } = await joinedAdvocate('Noé Petit', 'noe@cairn.example');
    // What is left of the 30 writes a minute the worker takes from one visitor (joining
    // was one), spent by this browser's survey answers (a script gone wrong, say).
    await atStartOfRateWindow(30_000);
    const statuses = [];
    while (statuses.length <= 30 && statuses.at(-1) !== 429) {
      const response = await fetch(`${stack.worker.origin}/v1/sites/${stack.site}/nps`, {
        method: 'POST',
        headers: { origin: stack.demoOrigin, 'content-type': 'application/json' },
        body: JSON.stringify({ score: 9, visitor_id: visitorId, idempotency_key: newId(), page_url: `${stack.demoOrigin}/`, locale: 'fr', elapsed_ms: 8000 }),
      });
      statuses.push(response.status);
    }
    assert.deepEqual(new Set(statuses), new Set([201, 429]), 'stored until the limit, then refused');

    const invites = widget.getByLabel(/Invitez jusqu’à 5 amis/);
    await invites.fill('noa@x.example');
    await widget.getByRole('button', { name: 'Envoyer les invitations' }).click();
    await widget.getByText('Trop d’essais en peu de temps\u00a0: attendez une minute, puis réessayez.').waitFor();
    assert.equal(await invites.inputValue(), 'noa@x.example', 'the address stays to be sent again');
    const [error] = await advocate.page.$$eval('#event-log li', (items) =>
      items.map((item) => item.textContent).filter((text) => text.startsWith('pv:error ')).map((text) => JSON.parse(text.slice(9))));
    assert.equal(error.code, 'rate_limited');
    const mailed = await stack.query("SELECT COUNT(*) AS n FROM mail_outbox WHERE recipient = 'noa@x.example'");
    assert.equal(mailed[0].n, 0);
  });

  test('the join form has no WCAG 2.2 AA violation, with its problems shown', async () => {
    const page = (await visitor({ bypassCSP: true })).page;
    await page.goto(`${stack.demoOrigin}/`);
    await referralReady(page);
    const widget = page.locator('pv-referral');
    await widget.getByRole('button', { name: 'Obtenir mon lien de parrainage' }).click();
    await widget.getByText('Indiquez votre nom.').waitFor();
    assert.deepEqual(await accessibilityViolations(page, 'pv-referral'), []);
  });
});
