// Nothing lost: with the network to the worker failing at random, and with the page closed
// in the middle of a send, every answer a visitor gave is stored exactly once. Nothing
// kept without need: a visitor who only reads leaves nothing in the page's storage.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { openPage, signal, startStackAndBrowser, waitForEvent } from './browser.mjs';
import { newId } from './support.mjs';
import { upsertSite } from '../scripts/sites.mjs';

const ABORTED = [/Failed to load resource/];
let stack;
let browser;
let contexts = [];

before(async () => {
  [stack, browser] = await startStackAndBrowser();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});
afterEach(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  contexts = [];
});

/** A small seeded generator, so a failing run can be replayed exactly. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state / 2 ** 32;
  };
}

async function newVisitor() {
  const visitor = await openPage(browser);
  contexts.push(visitor.context);
  return visitor;
}

/** Opens the demo page and waits for its NPS widget. */
async function openDemo(page) {
  await page.goto(`${stack.demoOrigin}/`);
  await waitForEvent(page, 'pv:ready {"widget":"nps"');
}

/**
 * Picks `score` in `widget`. The widgets above it redraw as their own answers come back
 * (a thanks panel, a retry notice), which moves this one; a click that lands while it moves
 * misses the radio, and is made again, as a visitor would.
 */
async function pick(t, widget, score) {
  const radio = widget.getByRole('radio', { name: String(score), exact: true });
  for (let attempt = 1; attempt <= 3; attempt++) {
    const before = await widget.boundingBox();
    await radio.click();
    if (await radio.isChecked()) return;
    const after = await widget.boundingBox();
    t.diagnostic(`score ${score} missed on attempt ${attempt}; the widget moved from y=${before?.y} to y=${after?.y}`);
  }
}

/** The visitor id the widgets gave this browser (made at its first answer). */
const visitorOf = (page) => page.evaluate(() => localStorage.getItem('portevoix.visitor'));

const rowsOf = (visitor) => stack.query(`SELECT idempotency_key, score FROM nps_answers WHERE visitor_id = '${visitor}'`);

describe('nothing lost', () => {
  test('100 answers through a network failing 30% of the time are stored exactly once each', async (t) => {
    const roll = random(20261130);
    const outcomes = { passed: 0, droppedBeforeWorker: 0, lostAfterWorker: 0 };
    const flaky = async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const dice = roll();
      if (dice < 0.15) {
        outcomes.droppedBeforeWorker++;
        return route.abort('failed');
      }
      if (dice < 0.3) {
        outcomes.lostAfterWorker++;
        await route.fetch();
        return route.abort('connectionreset');
      }
      outcomes.passed++;
      return route.continue();
    };
    // Five visitors answering twenty widgets each: one visitor alone would meet the
    // per-visitor rate limit, which is not what this test is about. Their site asks on
    // every visit (as one surveying each order does): a site that waits before asking
    // again thanks the nineteen later widgets for the first answer instead.
    await upsertSite(
      {
        id: 'cairn-every-visit',
        name: 'Cairn',
        allowed_origins: [stack.demoOrigin],
        config: { default_locale: 'fr', nps: { ask_again_after_days: 0 } },
      },
      { state: stack.state },
      { adminToken: stack.adminToken, customerSecret: 'unused', quiet: true },
    );
    const keys = new Set();
    for (let visitorIndex = 0; visitorIndex < 5; visitorIndex++) {
      const { page, problems } = await newVisitor();
      await openDemo(page);
      // Only the answers go through the failing network; the page itself loads plainly.
      await page.route(`${stack.worker.origin}/v1/sites/cairn-every-visit/nps`, flaky);
      await page.evaluate(() => {
        for (let index = 0; index < 20; index++) {
          const element = document.createElement('pv-nps');
          element.className = 'fault';
          element.setAttribute('site', 'cairn-every-visit');
          element.setAttribute('lang', 'en');
          document.querySelector('main').append(element);
        }
      });
      const widgets = page.locator('pv-nps.fault');
      for (let index = 0; index < 20; index++) {
        const widget = widgets.nth(index);
        await widget.scrollIntoViewIfNeeded();
        await pick(t, widget, index % 11);
        try {
          await widget.getByRole('button', { name: 'Send' }).click({ timeout: 10_000 });
        } catch (error) {
          const state = await page.evaluate((i) => {
            const root = document.querySelectorAll('pv-nps.fault')[i].shadowRoot;
            const checked = [...root.querySelectorAll('input[type=radio]')].filter((r) => r.checked).map((r) => r.value);
            return { checked, html: root.innerHTML.slice(0, 400), events: document.getElementById('event-log').innerText };
          }, index);
          throw new Error(`${error.message}\nwidget ${index}: ${JSON.stringify(state)}\nproblems: ${problems()}`);
        }
      }
      await page.waitForFunction(
        () => [...document.querySelectorAll('pv-nps.fault')].every((element) => element.shadowRoot.querySelector('.thanks')),
        null,
        { timeout: 120_000 },
      );
      const rows = await rowsOf(await visitorOf(page));
      assert.equal(rows.length, 20, `visitor ${visitorIndex} stored ${rows.length}; network: ${JSON.stringify(outcomes)}`);
      for (const row of rows) keys.add(row.idempotency_key);
      assert.deepEqual(problems(ABORTED), []);
    }
    assert.equal(keys.size, 100, 'none lost, none doubled');
    assert.ok(outcomes.droppedBeforeWorker > 0 && outcomes.lostAfterWorker > 0, JSON.stringify(outcomes));
  });

  for (const [name, reachesWorker] of [['before it reached the worker', false], ['after the worker stored it', true]]) {
    test(`an answer whose page closed mid-send ${name} is sent by the next page, once, and the visitor not asked again`, async () => {
      const { context, page, problems } = await newVisitor();
      await openDemo(page);
      let held;
      const sending = new Promise((resolve) => {
        page.route(`${stack.api}/nps`, async (route) => {
          if (route.request().method() !== 'POST') return route.continue();
          if (reachesWorker) {
            await route.fetch();
            held = route; // never answered: the tab closes first
          } else {
            held = route;
            await route.abort('internetdisconnected');
          }
          resolve();
        });
      });
      const widget = page.locator('pv-nps');
      await widget.getByRole('radio', { name: '9', exact: true }).click();
      await widget.getByRole('button', { name: 'Envoyer' }).click();
      await sending;
      assert.ok(held);
      const visitor = await visitorOf(page);
      await page.close();
      assert.equal((await rowsOf(visitor)).length, reachesWorker ? 1 : 0);

      const reopened = await context.newPage();
      await openDemo(reopened);
      const reopenedWidget = reopened.locator('pv-nps');
      await reopenedWidget.getByRole('heading', { name: 'Merci !' }).waitFor();
      assert.equal(await reopenedWidget.getByRole('radio').count(), 0, 'thanked, not surveyed a second time');
      await reopened.waitForFunction(() => localStorage.getItem('portevoix.outbox') === null);
      const rows = await rowsOf(visitor);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].score, 9);
      assert.deepEqual(problems(ABORTED), []);
    });
  }

  test('an answer another tab delivers is told to the tab that sent it', async () => {
    const { context, page, problems } = await newVisitor();
    await openDemo(page);
    let offline = true;
    await page.route(`${stack.api}/nps`, (route) =>
      offline && route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue());
    const widget = page.locator('pv-nps');
    await widget.getByRole('radio', { name: '9', exact: true }).click();
    await widget.getByRole('button', { name: 'Envoyer' }).click();
    await widget.getByText('Réponse gardée : elle sera envoyée dès le retour de la connexion.').waitFor();
    const visitor = await visitorOf(page);

    // Another tab of the site, which reaches the worker, delivers it from the outbox the
    // tabs share as it loads. (The first tab, still offline, puts it back to hear of it.)
    const otherTab = await context.newPage();
    await openDemo(otherTab);
    for (let tries = 0; (await rowsOf(visitor)).length === 0; tries++) {
      assert.ok(tries < 100, 'the other tab delivered the answer');
      await otherTab.waitForTimeout(200);
    }

    // The tab that sent it hears what became of it once it is back online, rather than
    // showing "saved" for good: it sends the answer again, and the worker replays it.
    offline = false;
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await widget.getByRole('heading', { name: 'Merci !' }).waitFor();
    const rows = await rowsOf(visitor);
    assert.deepEqual(rows.map((row) => row.score), [9], 'stored once');
    assert.equal(await page.evaluate(() => localStorage.getItem('portevoix.outbox')), null);
    assert.deepEqual(problems(ABORTED), []);
  });

  test('an answer the worker refuses when a later page delivers it is forgotten, and the visitor asked again', async () => {
    const { context, page, problems } = await newVisitor();
    await openDemo(page);
    await page.route(`${stack.api}/nps`, (route) =>
      route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue());
    const widget = page.locator('pv-nps');
    // A filled honeypot stands in for any refusal that only the worker can make, such as a
    // human check whose token expired while the answer waited in the outbox.
    await widget.locator('input[name=website]').evaluate((input) => (input.value = 'http://autofill.example'));
    await widget.getByRole('radio', { name: '9', exact: true }).click();
    await widget.getByRole('button', { name: 'Envoyer' }).click();
    await widget.getByText('Réponse gardée : elle sera envoyée dès le retour de la connexion.').waitFor();
    const visitor = await visitorOf(page);
    assert.notEqual(await page.evaluate(() => localStorage.getItem('portevoix.nps.cairn')), null, 'kept when sent');
    await page.close();

    // The next page's outbox delivers it, the worker refuses it, and no page that sent it
    // is open to hear: the answer kept for the survey is forgotten all the same.
    const reopened = await context.newPage();
    await openDemo(reopened);
    await reopened.waitForFunction(() =>
      localStorage.getItem('portevoix.outbox') === null && localStorage.getItem('portevoix.nps.cairn') === null);
    await reopened.locator('pv-nps').getByRole('radio', { name: '9', exact: true }).waitFor();
    assert.deepEqual(await rowsOf(visitor), []);
    assert.deepEqual(problems([...ABORTED, /status of 422/]), []);
  });

  for (const [name, reachesWorker] of [['before it reached the worker', false], ['after the worker stored it', true]]) {
    test(`an answer whose request stalls ${name} is kept, the visitor told, and sent again once`, async () => {
      const { page, problems } = await newVisitor();
      await page.clock.install();
      await openDemo(page);
      let posts = 0;
      const stalled = signal();
      await page.route(`${stack.api}/nps`, async (route) => {
        if (route.request().method() !== 'POST' || ++posts > 1) return route.continue();
        // The first send goes unanswered for good, like a phone between networks.
        if (reachesWorker) await route.fetch();
        stalled.fulfil();
      });
      const abandoned = page.waitForEvent('requestfailed', { predicate: (request) => request.url() === `${stack.api}/nps`, timeout: 45_000 });
      const widget = page.locator('pv-nps');
      await widget.getByRole('radio', { name: '7', exact: true }).click();
      await widget.getByRole('button', { name: 'Envoyer' }).click();
      // Given up after 20 s (the page's clock is moved on) rather than waited for as long
      // as the browser would.
      await stalled.promise;
      await page.clock.fastForward(20_000);
      await widget.getByText('Réponse gardée : elle sera envoyée dès le retour de la connexion.').waitFor();
      // And aborted, not left open to hold one of the browser's connections to the worker.
      assert.equal((await abandoned).failure()?.errorText, 'net::ERR_ABORTED');
      const visitor = await visitorOf(page);
      await widget.getByRole('heading', { name: 'Merci !' }).waitFor({ timeout: 30_000 });
      assert.equal(posts, 2, 'sent again once');
      const rows = await rowsOf(visitor);
      assert.equal(rows.length, 1, 'stored once');
      assert.equal(rows[0].score, 7);
      await page.waitForFunction(() => localStorage.getItem('portevoix.outbox') === null);
      assert.deepEqual(problems(), []);
    });
  }
});

/**
 * Opens the demo page on a screen tall enough for all five widgets and waits for each to
 * be ready, recording the URL of every request the page makes.
 */
async function openAllFive() {
  const { page, problems } = await openPage(browser, { viewport: { width: 1280, height: 6000 } });
  contexts.push(page.context());
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`${stack.demoOrigin}/`);
  for (const widget of ['nps', 'review', 'qa', 'share', 'referral']) {
    await waitForEvent(page, `pv:ready {"widget":"${widget}"`);
  }
  return { page, problems, requests };
}

describe('the site configuration', () => {
  test('is asked for once per page, by the loader, alongside the Wasm', async () => {
    const { page, problems, requests } = await openAllFive();
    const configs = requests.filter((url) => url === `${stack.api}/config`);
    assert.equal(configs.length, 1, 'one request serves all five widgets');
    // The first request the Wasm makes itself: a widget's product listing.
    const wasmRan = requests.findIndex((url) => url.includes('/products/'));
    assert.ok(wasmRan > requests.indexOf(configs[0]), 'the configuration is asked for with the Wasm, not after it ran');
    assert.deepEqual(problems(), []);
  });

  test('of no site at all is not asked for, and every widget says what is wrong at once', async () => {
    const { page, problems } = await newVisitor();
    const requests = [];
    page.on('request', (request) => requests.push(request.url()));
    // A returning visitor, whose points and referral code would otherwise be looked up.
    await page.addInitScript((id) => localStorage.setItem('portevoix.visitor', id), newId());
    // The loader's tag without its data-site, as a page that forgot it (removed once parsed,
    // before the loader runs).
    await page.addInitScript(() =>
      document.addEventListener('readystatechange', () => {
        if (document.readyState === 'interactive') document.querySelector('script[data-site]')?.removeAttribute('data-site');
      }));
    await page.goto(`${stack.demoOrigin}/`);
    await page.locator('#event-log li', { hasText: 'pv:error {"widget":"nps","site":"","code":"site_missing"' }).waitFor();
    for (const [tag, says] of [
      ['pv-nps', 'Ce questionnaire est indisponible pour le moment.'],
      ['pv-review', 'Les avis sont indisponibles pour le moment.'],
      ['pv-qa', 'Les questions sont indisponibles pour le moment.'],
      ['pv-share', 'Le partage est indisponible pour le moment.'],
      ['pv-referral', 'Le programme de parrainage est indisponible pour le moment.'],
    ]) {
      await page.locator(tag).scrollIntoViewIfNeeded();
      await page.locator(tag).getByRole('alert').filter({ hasText: says }).waitFor();
      assert.equal(await page.locator(tag).locator('section.loading').getAttribute('aria-busy'), 'false', `${tag} is not busy`);
    }
    assert.ok(requests.some((url) => url.endsWith('.wasm')), 'the widgets loaded');
    assert.deepEqual(requests.filter((url) => url.includes('/v1/sites/')), [], 'no request for a site');
    assert.deepEqual(problems(), []);
  });

  test('that failed once is asked for again, and the widget draws', async () => {
    const { page, problems } = await newVisitor();
    let attempts = 0;
    await page.route(`${stack.api}/config`, (route) => (++attempts === 1 ? route.abort('internetdisconnected') : route.continue()));
    await openDemo(page);
    assert.equal(attempts, 2);
    await page.locator('pv-nps').getByRole('radio', { name: '8', exact: true }).waitFor();
    assert.deepEqual(problems(ABORTED), []);
  });

  test('whose request stalls is given up after 20 s and asked for again, and the widget draws', async () => {
    const { page, problems } = await newVisitor();
    let attempts = 0;
    // The first request goes unanswered for good, like a phone between networks.
    await page.route(`${stack.api}/config`, (route) => (++attempts === 1 ? undefined : route.continue()));
    await page.clock.install();
    await page.goto(`${stack.demoOrigin}/`);
    // The widget holds the loader's request from when it mounts (its container is drawn):
    // the page's clock is moved on past the 20 s it waits from then.
    await page.locator('pv-nps div').first().waitFor({ state: 'attached' });
    await page.clock.fastForward(20_000);
    await waitForEvent(page, 'pv:ready {"widget":"nps"');
    assert.equal(await page.locator('#event-log li', { hasText: 'pv:error' }).count(), 0, 'the Wasm loaded the first time');
    assert.equal(attempts, 2);
    await page.locator('pv-nps').getByRole('radio', { name: '8', exact: true }).waitFor();
    assert.deepEqual(problems(), []);
  });
});

describe('a visitor who only reads the page', () => {
  const ownRecords = (url) => /\/me\/points\?|\/referrals\/mine\?/.test(url);

  test('keeps nothing of ours in storage and is not looked up, until they answer', async (t) => {
    const { page, problems, requests } = await openAllFive();
    // The outbox is looked at once the widgets have drawn: give it time to (not) write.
    await page.waitForTimeout(1_000);
    assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), [], 'no visitor id, no empty outbox');
    assert.deepEqual(requests.filter(ownRecords), [], 'no points or referral card asked for by an id that does not exist');

    await pick(t, page.locator('pv-nps'), 9);
    await page.locator('pv-nps').getByRole('button', { name: 'Envoyer' }).click();
    await page.locator('#event-log li', { hasText: 'pv:submit {"widget":"nps"' }).waitFor();
    const visitor = await visitorOf(page);
    assert.match(visitor, /^[\da-f]{32}$/, 'an answer makes the visitor id');
    assert.equal((await rowsOf(visitor)).length, 1);
    await page.waitForFunction(() => localStorage.getItem('portevoix.outbox') === null);

    requests.length = 0;
    await page.reload();
    await waitForEvent(page, 'pv:ready {"widget":"referral"');
    const lookups = requests.filter(ownRecords);
    assert.equal(lookups.length, 2, `the share and referral widgets look this visitor up: ${lookups}`);
    for (const url of lookups) assert.equal(new URL(url).searchParams.get('visitor_id'), visitor);
    assert.deepEqual(problems(), []);
  });
});

describe('the Wasm', () => {
  const fails = (route) => route.abort('internetdisconnected');
  const stalls = () => {};
  const wasm = (url) => url.pathname.endsWith('.wasm');
  const glue = (url) => /^\/w\/portevoix-[\da-f]+\.js$/.test(url.pathname);
  for (const [what, how, file, firstRequest] of [
    ['that', 'fails', wasm, fails],
    ['that', 'stalls for 20 s', wasm, stalls],
    ['whose JS glue', 'stalls for 20 s', glue, stalls],
  ]) {
    test(`${what} ${how} the first time is reported, asked for again, and the widgets draw`, async () => {
      const { page, problems } = await newVisitor();
      let requests = 0;
      const asked = signal();
      await page.route(file, (route) => (++requests === 1 ? (asked.fulfil(), firstRequest(route)) : route.continue()));
      await page.clock.install();
      await page.goto(`${stack.demoOrigin}/`);
      await asked.promise;
      // A stall is given up after 20 s: the page's clock is moved on rather than waited for.
      if (firstRequest === stalls) await page.clock.fastForward(20_000);
      await waitForEvent(page, 'pv:error {"code":"load_failed"');
      await page.locator('pv-nps').getByRole('radio', { name: '8', exact: true }).waitFor();
      await waitForEvent(page, 'pv:ready {"widget":"review"');
      assert.equal(requests, 2, 'one request again, for every widget that was waiting');
      assert.deepEqual(problems(ABORTED), []);
    });
  }

  // Same length, still a valid module: only the integrity check can catch it.
  const tamper = (bytes) => {
    const text = Buffer.from('Customer reviews');
    const at = bytes.indexOf(text);
    assert.ok(at > 0, 'the Wasm carries the English copy');
    const tampered = Buffer.from(bytes);
    tampered.write('Customer reviewz', at);
    return tampered;
  };

  /** Loads the demo page: a tampered file is reported and nothing is drawn; intact files draw. */
  async function drawsOnlyIfIntact(page, problems, tampered) {
    await page.goto(`${stack.demoOrigin}/`);
    if (tampered) {
      await waitForEvent(page, 'pv:error {"code":"load_failed"');
      assert.equal(await page.locator('pv-nps').getByRole('radio').count(), 0, 'nothing drawn');
      assert.deepEqual(problems([/integrity/, /digest/]), []);
    } else {
      await page.locator('pv-nps').getByRole('radio', { name: '8', exact: true }).waitFor();
      assert.deepEqual(problems(), []);
    }
  }

  // A glue changed in transit is still a valid module: only its integrity check catches it.
  test('whose JS glue does not match its integrity hash is never run, and an intact one is run as checked', async () => {
    for (const tampered of [true, false]) {
      const { page, problems } = await newVisitor();
      let requests = 0;
      await page.route(glue, async (route) => {
        requests++;
        if (!tampered) return route.continue();
        const response = await route.fetch();
        await route.fulfill({ response, body: `${await response.text()}\n// changed in transit\n` });
      });
      // The glue fails before the Wasm's answer comes: the loader must still handle it.
      if (tampered) await page.route(wasm, (route) => setTimeout(() => route.continue().catch(() => {}), 500));
      await drawsOnlyIfIntact(page, problems, tampered);
      if (!tampered) assert.equal(requests, 1, 'the import ran the checked preload, not a second, unchecked copy');
    }
  });

  for (const [how, withoutSubtleCrypto] of [
    ['checked off the main thread', false],
    ['checked by fetch on a page without SubtleCrypto', true],
  ]) {
    test(`that does not match its integrity hash is never run (${how}), and an intact one is`, async () => {
      for (const tampered of [true, false]) {
        const { page, problems } = await newVisitor();
        if (withoutSubtleCrypto) {
          await page.addInitScript(() => Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined }));
        }
        if (tampered) {
          await page.route('**/*.wasm', async (route) => {
            const response = await route.fetch();
            await route.fulfill({ response, body: tamper(await response.body()) });
          });
        }
        await drawsOnlyIfIntact(page, problems, tampered);
      }
    });
  }
});
