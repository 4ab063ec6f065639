// <pv-review> in headless Chromium on the demo product page (strict CSP, the worker's
// server-rendered fragment inside the element): a visitor writes a review by keyboard,
// the brand publishes it, the page shows it with the right aggregate and JSON-LD;
// hostile text stays text; helpful votes count once; more reviews load page by page.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { accessibilityViolations, cardLayout, openPage, startStackAndBrowser, waitForEvent } from './browser.mjs';
import { newId } from './support.mjs';

let stack;
let browser;
let current;

before(async () => {
  [stack, browser] = await startStackAndBrowser();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});
afterEach(async () => {
  const problems = current?.problems(current.allowed) ?? [];
  await current?.context.close();
  current = undefined;
  assert.deepEqual(problems, [], 'the page logged errors');
});

const review = (overrides = {}) => {
  const idempotency_key = newId();
  return {
    rating: 5,
    title: 'Parfaite en bivouac',
    text: `Sèche après une nuit d'orage à 2 000 m (${idempotency_key}).`,
    author_name: 'Dominique',
    visitor_id: newId(),
    idempotency_key,
    elapsed_ms: 30000,
    ...overrides,
  };
};

/** Writes and publishes a review through the API, as other visitors and the brand would. */
async function published(product, overrides = {}) {
  const response = await fetch(`${stack.api}/products/${product}/reviews`, {
    method: 'POST',
    headers: { origin: stack.demoOrigin, 'content-type': 'application/json' },
    body: JSON.stringify(review(overrides)),
  });
  assert.equal(response.status, 201, await response.clone().text());
  const { id } = await response.json();
  const decision = await stack.admin(`/reviews/${id}/moderation`, { method: 'POST', body: { decision: 'publish' } });
  assert.equal(decision.status, 200);
  return id;
}

/** Opens the demo page and waits for the review widget's pv:ready. */
async function visit(path = '/', options = {}) {
  current = await openPage(browser, options);
  const { page } = current;
  current.listRequests = [];
  page.on('request', (request) => {
    if (/\/products\/[^/]+\/reviews\?/.test(request.url())) current?.listRequests.push(request.url());
  });
  let dialogs = 0;
  page.on('dialog', async (dialog) => {
    dialogs++;
    await dialog.dismiss();
  });
  current.dialogs = () => dialogs;
  await page.goto(`${stack.demoOrigin}${path}`);
  await reviewReady(page);
  return page;
}

async function reviewReady(page, product = 'bivouac-2') {
  await page.locator(`pv-review[product="${product}"]`).first().scrollIntoViewIfNeeded();
  await waitForEvent(page, `pv:ready {"widget":"review","site":"cairn","product":"${product}"}`);
}

/**
 * Adds a <pv-review> for `product` to the page, as a brand's template would, and waits for
 * its pv:ready unless `ready` is false (a widget whose list cannot load never is).
 */
async function addWidget(page, product, { ready = true } = {}) {
  await page.evaluate((product) => {
    const element = document.createElement('pv-review');
    element.setAttribute('product', product);
    element.id = `reviews-${product}`;
    document.querySelector('main').append(element);
  }, product);
  if (ready) await reviewReady(page, product);
  return page.locator(`#reviews-${product}`);
}

const jsonLdOf = (page, product) =>
  page.evaluate(
    (product) =>
      [...document.querySelectorAll(`script[type="application/ld+json"][data-portevoix-jsonld="${product}"]`)].map((script) =>
        JSON.parse(script.textContent),
      ),
    product,
  );

describe('<pv-review> on the demo product page', () => {
  test('a review written by keyboard is published by the brand and counted after reload', async () => {
    await published('bivouac-2', { rating: 5 });
    await published('bivouac-2', { rating: 3, author_name: 'Alex' });
    const page = await visit();
    const widget = page.locator('pv-review');
    assert.deepEqual(current.listRequests, [], 'the server-rendered reviews were taken over, not fetched again');
    assert.equal(await widget.locator('.count').textContent(), '2 avis');
    // Written from the French locale file, not by the browser's Intl (whose first use is a
    // long task): the average to one decimal with a comma, each date short.
    assert.equal(await widget.locator('.average-value').textContent(), '4,0');
    const dates = await widget.locator('.review time').allTextContents();
    assert.equal(dates.length, 2);
    const today = new Date();
    const months = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];
    for (const date of dates) {
      assert.ok(
        [today, new Date(today.getTime() - 86_400_000)].some((day) => date === `${day.getDate()} ${months[day.getMonth()]} ${day.getFullYear()}`),
        `a review of today dated ${date}`,
      );
    }

    // The button to write one stands under the score, before the reviews, and the form
    // opens there: a visitor who has read the score does not scroll past every review.
    const order = () => widget.evaluate((element) =>
      [...element.shadowRoot.querySelectorAll('.summary, .writer, .writer form, .toolbar, .list')].map((node) => node.classList[0]));
    assert.deepEqual(await order(), ['summary', 'writer', 'toolbar', 'list']);
    await widget.getByRole('button', { name: 'Écrire un avis' }).focus();
    await page.keyboard.press('Enter');
    // Focus moves to the first star once the form is drawn (as a visitor sees it, a frame
    // later: keys sent before it land nowhere); the radio group moves with the arrow keys.
    await page.waitForFunction(() => document.querySelector('pv-review').shadowRoot.activeElement?.type === 'radio');
    assert.deepEqual(await order(), ['summary', 'writer', 'review-form', 'toolbar', 'list']);
    await page.keyboard.press('Space');
    for (let step = 0; step < 3; step++) await page.keyboard.press('ArrowRight');
    assert.equal(await widget.getByRole('radio', { name: '4 étoiles sur 5' }).isChecked(), true);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Légère et vite montée');
    await page.keyboard.press('Tab');
    const text = `Montée en cinq minutes sous la pluie, rien de mouillé au réveil (${newId()}).`;
    await page.keyboard.type(text);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Camille');
    await page.keyboard.press('Tab'); // email, left empty
    await page.keyboard.press('Tab'); // consent, left unticked
    await page.keyboard.press('Tab');
    assert.equal(await widget.getByRole('button', { name: 'Envoyer mon avis' }).evaluate((button) => button.getRootNode().activeElement === button), true);
    await page.waitForTimeout(2_100); // people take seconds to write; robots do not
    await page.keyboard.press('Enter');

    const thanks = widget.getByRole('heading', { name: 'Merci ! Votre avis apparaîtra après modération.' });
    await thanks.waitFor();
    assert.equal(await thanks.evaluate((heading) => heading.getRootNode().activeElement === heading), true, 'focus moves to the thanks');
    assert.equal(await widget.getByRole('link', { name: 'Donnez votre avis sur Trustpilot' }).getAttribute('href'), 'https://www.trustpilot.com/evaluate/cairn.example');
    assert.equal(await widget.locator('.review').count(), 2, 'not shown before moderation');

    const queue = await stack.admin('/reviews?status=pending');
    const mine = queue.body.reviews.find((pending) => pending.text === text);
    assert.ok(mine, 'the review waits in the moderation queue');
    assert.equal(mine.rating, 4);
    assert.equal(mine.author_name, 'Camille');
    assert.equal(mine.email, null);
    await stack.admin(`/reviews/${mine.id}/moderation`, { method: 'POST', body: { decision: 'publish' } });

    await page.reload();
    await reviewReady(page);
    await widget.locator('.review .text', { hasText: text }).waitFor();
    assert.equal(await widget.locator('.average-value').textContent(), '4,0');
    assert.equal(await widget.locator('.count').textContent(), '3 avis');
    const histogram = await widget.locator('.bar-row').evaluateAll((rows) => rows.map((row) => [row.dataset.stars, row.dataset.count]));
    assert.deepEqual(histogram, [['5', '1'], ['4', '1'], ['3', '1'], ['2', '0'], ['1', '0']]);

    const jsonLd = await jsonLdOf(page, 'bivouac-2');
    assert.equal(jsonLd.length, 1, 'one JSON-LD per product, server-written or not');
    assert.equal(jsonLd[0]['@type'], 'Product');
    assert.equal(jsonLd[0].name, 'Tente Bivouac 2');
    assert.equal(jsonLd[0].aggregateRating.ratingValue, 4);
    assert.equal(jsonLd[0].aggregateRating.reviewCount, 3);
    assert.equal(jsonLd[0].review.length, 3);

    // What a crawler without JavaScript gets: the same reviews in the page's HTML, and the
    // same JSON-LD, to the letter: the widget found nothing to rewrite in the server's.
    const served = await (await fetch(`${stack.demoOrigin}/`)).text();
    assert.ok(served.includes(text.replaceAll("'", '&#39;')));
    const servedJsonLd = served.match(/<script type="application\/ld\+json" data-portevoix-jsonld="bivouac-2">(.*?)<\/script>/s)?.[1];
    const pageJsonLd = await page.evaluate(() => document.querySelector('script[data-portevoix-jsonld="bivouac-2"]').textContent);
    assert.equal(pageJsonLd, servedJsonLd);
    assert.ok(served.includes('"reviewCount":3'));
  });

  test('a hostile review shows as literal text and runs nothing', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    await published('hostile-tent', { text: hostile, title: '<script>alert(2)</script>' });
    const page = await visit();
    const widget = await addWidget(page, 'hostile-tent');
    await widget.locator('.review .text').waitFor();
    assert.equal(await widget.locator('.review .text').textContent(), hostile);
    assert.equal(await widget.locator('.review .title').textContent(), '<script>alert(2)</script>');
    assert.equal(await widget.evaluate((element) => element.shadowRoot.querySelectorAll('img, script').length), 0);
    await page.waitForTimeout(300);
    assert.equal(current.dialogs(), 0, 'no script ran');
    const [jsonLd] = await jsonLdOf(page, 'hostile-tent');
    assert.equal(jsonLd.review[0].reviewBody, hostile);
  });

  test('a product with no review yet, drawn in view on a phone, fills its card with one centred invitation', async () => {
    const page = await visit('/', { viewport: { width: 360, height: 800 } });
    const widget = await addWidget(page, `new-${newId().slice(0, 8)}`);
    const layout = () => cardLayout(widget);
    await widget.getByText('Aucun avis pour l’instant').waitFor();
    const inviting = await layout();
    assert.equal(inviting.card, inviting.host, `the card fills the space reserved for it: ${JSON.stringify(inviting)}`);
    assert.ok(Math.abs(inviting.above - inviting.below) < 16, `its content sits in the middle: ${JSON.stringify(inviting)}`);

    await widget.getByRole('button', { name: 'Écrire un avis' }).click();
    await widget.getByRole('radio', { name: '5 étoiles sur 5' }).waitFor();
    const writing = await layout();
    assert.ok(writing.above < 32, `the form reads from the top, as everywhere: ${JSON.stringify(writing)}`);
  });

  test('a list whose request fails for a moment is asked again; one that keeps failing offers to try again', async () => {
    const product = `blip-${newId().slice(0, 8)}`;
    await published(product, { title: 'Tient la route' });
    const page = await visit();
    current.allowed = [/ERR_INTERNET_DISCONNECTED/];
    let cut = 0;
    await page.route(`**/products/${product}/reviews?*`, (route) => (cut++ === 0 ? route.abort('internetdisconnected') : route.continue()));
    const widget = await addWidget(page, product);
    await widget.getByText('Tient la route').waitFor();
    assert.equal(cut, 2, 'cut once, asked again once');
    assert.equal(await widget.getByRole('alert').count(), 0);

    // Cut for good: asked again after 1, 2 and 4 s, then said, with a button to try again.
    const down = `down-${newId().slice(0, 8)}`;
    await published(down, { title: 'Au sec' });
    let connected = false;
    let asked = 0;
    await page.route(`**/products/${down}/reviews?*`, (route) => {
      asked++;
      return connected ? route.continue() : route.abort('internetdisconnected');
    });
    const failing = await addWidget(page, down, { ready: false });
    await failing.getByText('Les avis sont indisponibles pour le moment.').waitFor({ timeout: 20_000 });
    assert.equal(asked, 4, 'asked four times in all');
    connected = true;
    await failing.getByRole('button', { name: 'Réessayer' }).press('Enter');
    await failing.getByText('Au sec').waitFor();
    assert.equal(
      await failing.evaluate((host) => host.shadowRoot.activeElement?.textContent),
      'Avis clients',
      'the focus waits on the heading, not lost with the button',
    );
    assert.equal(await failing.getByRole('alert').count(), 0);
  });

  test('an element naming no product tells the developer why and offers the visitor no button that cannot work', async () => {
    const page = await visit();
    const warnings = [];
    page.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
    await page.evaluate(() => {
      const element = document.createElement('pv-review');
      element.id = 'reviews-unnamed';
      document.querySelector('main').append(element);
    });
    const widget = page.locator('#reviews-unnamed');
    await widget.scrollIntoViewIfNeeded();
    await widget.getByText('Les avis sont indisponibles pour le moment.').waitFor();
    assert.equal(await widget.getByRole('button', { name: 'Réessayer' }).count(), 0, 'asking again would fail again');
    assert.deepEqual(current.listRequests, [], 'nothing asked of the worker');
    await waitForEvent(page, 'pv:error {"widget":"review","site":"cairn","code":"invalid_field"');
    assert.ok(
      warnings.some((warning) => warning.includes('<pv-review> needs a product="…" attribute')),
      warnings.join('\n'),
    );
  });

  test('verified purchases are badged, helpful counts once, and more reviews load on demand', async () => {
    const product = 'lantern-300';
    const token = stack.customerToken('customer-3', 600, undefined, [{ id: 'A-3003', products: [product] }]);
    const verifiedId = await published(product, { customer_token: token, rating: 4, author_name: 'Sacha' });
    for (let index = 0; index < 6; index++) await published(product, { rating: (index % 5) + 1 });
    const page = await visit();
    const widget = await addWidget(page, product);
    assert.equal(await widget.locator('.review').count(), 5, 'the first page');
    await widget.getByRole('button', { name: 'Voir plus d’avis' }).click();
    await page.waitForFunction((product) => document.querySelector(`#reviews-${product}`).shadowRoot.querySelectorAll('.review').length === 7, product);
    assert.equal(await widget.getByRole('button', { name: 'Voir plus d’avis' }).count(), 0, 'no more pages');

    const verified = widget.locator(`.review[data-id="${verifiedId}"]`);
    await verified.getByText('Achat vérifié').waitFor();
    await verified.getByRole('button', { name: 'Utile (0)' }).click();
    await verified.getByRole('button', { name: 'Utile (1)' }).waitFor();
    assert.equal(await verified.getByRole('button', { name: 'Utile (1)' }).getAttribute('aria-pressed'), 'true');

    await widget.getByLabel('Trier par').selectOption('helpful');
    await page.waitForFunction(
      ([product, id]) => document.querySelector(`#reviews-${product}`).shadowRoot.querySelector('.review')?.dataset.id === id,
      [product, verifiedId],
    );
    await page.reload();
    await reviewReady(page);
    const again = await addWidget(page, product);
    await again.getByLabel('Trier par').selectOption('helpful');
    const button = again.locator(`.review[data-id="${verifiedId}"]`).getByRole('button', { name: 'Utile (1)' });
    await button.waitFor();
    assert.equal(await button.isDisabled(), true, 'this browser already voted');
    const votes = await stack.query(`SELECT COUNT(*) AS n FROM review_votes WHERE review_id = '${verifiedId}'`);
    assert.equal(votes[0].n, 1);
  });

  test('a vote counted while more reviews load keeps both: the new page and the new count', async () => {
    const product = 'tarp-4x4';
    for (let index = 0; index < 6; index++) await published(product, { rating: (index % 5) + 1 });
    const votedId = await published(product, { rating: 3, author_name: 'Ilan' });
    const page = await visit();
    const widget = await addWidget(page, product);
    // The next page is held until the vote has been counted and shown.
    const held = [];
    const nextPage = /\/reviews\?(.*&)?cursor=/;
    await page.route(nextPage, (route) => held.push(route));
    await widget.getByRole('button', { name: 'Voir plus d’avis' }).click();
    await page.waitForFunction(() => document.querySelector('#reviews-tarp-4x4').shadowRoot.querySelector('ol.list').getAttribute('aria-busy') === 'true');
    const voted = widget.locator(`.review[data-id="${votedId}"]`);
    await voted.getByRole('button', { name: 'Utile (0)' }).click();
    await voted.getByRole('button', { name: 'Utile (1)' }).waitFor();
    assert.equal(held.length, 1);
    const arrived = page.waitForResponse(nextPage);
    await held[0].continue();
    await arrived;
    await page.waitForFunction(() => document.querySelector('#reviews-tarp-4x4').shadowRoot.querySelectorAll('.review').length === 7);
    assert.equal(await voted.getByRole('button', { name: 'Utile (1)' }).getAttribute('aria-pressed'), 'true', 'the count survives the page');
    assert.equal(await widget.getByRole('button', { name: 'Voir plus d’avis' }).count(), 0, 'no more pages');
  });

  test('another sort keeps the list shown, dimmed, and the sort menu focused until the sorted list comes', async () => {
    const product = 'stove-duo';
    const helpfulId = await published(product, { rating: 2, author_name: 'Maël' });
    await published(product, { rating: 5 });
    await published(product, { rating: 4 });
    const vote = await fetch(`${stack.api}/products/${product}/reviews/${helpfulId}/helpful`, {
      method: 'POST',
      headers: { origin: stack.demoOrigin, 'content-type': 'application/json' },
      body: JSON.stringify({ visitor_id: newId() }),
    });
    assert.equal(vote.status, 200);
    const page = await visit();
    const widget = await addWidget(page, product);
    const firstId = () => widget.locator('.review').first().getAttribute('data-id');
    assert.notEqual(await firstId(), helpfulId, 'newest first');
    const sorted = /\/reviews\?(.*&)?sort=helpful/;
    const held = new Promise((resolve) => page.route(sorted, resolve));
    const menu = widget.getByLabel('Trier par');
    await menu.focus();
    await menu.selectOption('helpful');
    const answer = await held;
    const list = widget.locator('ol.list');
    assert.equal(await list.getAttribute('aria-busy'), 'true');
    assert.match(await list.getAttribute('class'), /\bstale\b/);
    assert.equal(await widget.locator('.review').count(), 3, 'the list stays while the sorted one comes');
    assert.equal(await menu.evaluate((select) => select.getRootNode().activeElement === select), true, 'the menu keeps focus');
    await answer.continue();
    await page.waitForFunction(
      ([product, id]) => document.querySelector(`#reviews-${product}`).shadowRoot.querySelector('.review')?.dataset.id === id,
      [product, helpfulId],
    );
    assert.equal(await list.getAttribute('aria-busy'), 'false');
    assert.doesNotMatch(await list.getAttribute('class'), /\bstale\b/);
    assert.equal(await menu.evaluate((select) => select.getRootNode().activeElement === select), true);
  });

  test('a histogram row shows only the reviews of its rating, by mouse or keyboard, until taken off', async () => {
    const product = 'mat-ul';
    for (const rating of [5, 2, 5, 4, 2, 5]) await published(product, { rating });
    const page = await visit('/', { bypassCSP: true });
    const widget = await addWidget(page, product);
    const ratingsShown = () => widget.locator('.review').evaluateAll((reviews) => reviews.map((review) => Number(review.dataset.rating)));
    const menu = widget.getByLabel('Trier par');
    const sorts = () => menu.locator('option').evaluateAll((options) => options.map((option) => option.value));
    // Lowest rated first: the filter below keeps this choice for when it is taken off.
    await menu.selectOption('rating_low');
    await page.waitForFunction(
      (product) => document.querySelector(`#reviews-${product}`).shadowRoot.querySelector('.review')?.dataset.rating === '2',
      product,
    );
    const more = widget.getByRole('button', { name: 'Voir plus d’avis' });
    assert.equal((await ratingsShown()).length, 5, 'the first page of all six');
    const row = (stars) => widget.locator(`.histogram button[data-stars="${stars}"]`);
    assert.equal(await row(3).isDisabled(), true, 'no 3-star review to show');

    await widget.getByRole('button', { name: /^2 étoiles : 2 avis \(33/ }).click();
    await page.waitForFunction((product) => {
      const reviews = [...document.querySelector(`#reviews-${product}`).shadowRoot.querySelectorAll('.review')];
      return reviews.length === 2 && reviews.every((review) => review.dataset.rating === '2');
    }, product);
    assert.equal(await row(2).getAttribute('aria-pressed'), 'true');
    await widget.getByRole('status').getByText('Seuls les avis notés 2 sur 5 sont affichés').waitFor();
    assert.deepEqual(await sorts(), ['newest', 'helpful'], 'one rating shown: no rating order to offer');
    assert.equal(await menu.inputValue(), 'newest', 'the order the list is in');
    assert.equal(await more.count(), 0, 'both 2-star reviews are on the page');
    assert.equal(await widget.locator('.count').getAttribute('data-count'), '6', 'the summary still counts all');
    assert.ok(current.listRequests.some((url) => new URL(url).searchParams.get('rating') === '2'));
    assert.deepEqual(await accessibilityViolations(page, `#reviews-${product}`), []);

    // Another row, by keyboard: it replaces the filter.
    await row(5).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (product) => document.querySelector(`#reviews-${product}`).shadowRoot.querySelectorAll('.review[data-rating="5"]').length === 3,
      product,
    );
    assert.deepEqual(await ratingsShown(), [5, 5, 5]);
    assert.equal(await row(2).getAttribute('aria-pressed'), 'false');

    // Taken off by the notice's button: every review again, and the focus back on the row.
    await widget.getByRole('button', { name: 'Voir tous les avis' }).click();
    await more.waitFor();
    assert.deepEqual(await ratingsShown(), [2, 2, 4, 5, 5], 'lowest rated first, as chosen before');
    assert.deepEqual(await sorts(), ['newest', 'helpful', 'rating_high', 'rating_low']);
    assert.equal(await menu.inputValue(), 'rating_low');
    assert.equal(await widget.getByRole('status').filter({ hasText: 'Seuls les avis' }).count(), 0);
    assert.equal(await row(5).getAttribute('aria-pressed'), 'false');
    assert.equal(await row(5).evaluate((button) => button.getRootNode().activeElement === button), true);
    // And a second press on a row takes its filter off too.
    await page.keyboard.press('Enter');
    await page.waitForFunction((product) => document.querySelector(`#reviews-${product}`).shadowRoot.querySelectorAll('.review').length === 3, product);
    await page.keyboard.press('Enter');
    await more.waitFor();
    assert.equal(await row(5).getAttribute('aria-pressed'), 'false');
  });

  test('the widget has no WCAG 2.2 AA violation: list, form with problems, thanks', async () => {
    await published('bivouac-2', { rating: 2, author_name: 'Lou' });
    const page = await visit('/', { bypassCSP: true });
    const audit = () => accessibilityViolations(page, 'pv-review');
    const widget = page.locator('pv-review');
    assert.deepEqual(await audit(), []);
    await widget.getByRole('button', { name: 'Écrire un avis' }).click();
    await widget.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await widget.getByText('Choisissez une note de 1 à 5 étoiles.').waitFor();
    assert.equal(await widget.getByLabel('Titre').getAttribute('aria-invalid'), 'true');
    await widget.getByText('Donnez un titre à votre avis.').waitFor();
    await widget.getByText('Indiquez le nom à afficher.').waitFor();
    // Numbers written as French writes them, as in the character count under the box.
    await widget.getByText(/^Écrivez entre 10 et 5\s000 caractères\.$/u).waitFor();
    assert.deepEqual(await audit(), []);
    await widget.getByLabel('Titre').fill('t'.repeat(121));
    await widget.getByText('Raccourcissez-le à 120 caractères au plus.').waitFor();
    assert.equal(await widget.getByText('Donnez un titre à votre avis.').count(), 0);
    await widget.getByRole('radio', { name: '5 étoiles sur 5' }).check();
    await widget.getByLabel('Titre').fill('Très bien');
    await widget.getByLabel('Votre avis', { exact: true }).fill(`Rien à redire après dix nuits (${newId()}).`);
    await widget.getByLabel('Nom affiché avec votre avis').fill('Noa');
    await widget.getByLabel('E-mail (jamais affiché)').fill('noa@cairn.example');
    await widget.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await widget.getByText('Cochez la case pour que nous gardions votre e-mail, ou laissez-le vide.').waitFor();
    await widget.getByLabel('Cairn peut me contacter par e-mail au sujet de mon avis.').check();
    await page.waitForTimeout(2_100);
    await widget.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await widget.getByRole('heading', { name: 'Merci ! Votre avis apparaîtra après modération.' }).waitFor();
    assert.deepEqual(await audit(), []);
    const [row] = await stack.query("SELECT email FROM reviews WHERE author_name = 'Noa'");
    assert.equal(row.email, 'noa@cairn.example');
  });
});
