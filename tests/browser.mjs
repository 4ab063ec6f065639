// Headless Chromium for the widget tests, driven by playwright-core. Each test gets a fresh
// context (so a fresh visitor) and fails on any console error or uncaught page error.
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../scripts/lib.mjs';
import { startStack } from './support.mjs';

const require = createRequire(import.meta.url);

/**
 * The WCAG 2.2 AA violations axe-core finds in the element `selector` names (the whole
 * document without one), a line each: the rule and the elements. Adds axe to the page
 * when it lacks it, which a page under its strict CSP allows only when opened with
 * `bypassCSP`.
 */
export async function accessibilityViolations(page, selector) {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  }
  return page.evaluate(async (selector) => {
    const scope = selector ? { include: [[selector]] } : document;
    const result = await window.axe.run(scope, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] });
    return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(', ')}`);
  }, selector);
}

/**
 * A promise and the function that fulfils it: a test's route handler says "the request
 * has stalled" with `fulfil`, and the test awaits `promise` before moving the page's clock.
 */
export function signal() {
  let fulfil;
  const promise = new Promise((resolve) => {
    fulfil = resolve;
  });
  return { promise, fulfil };
}

/** `args` are extra Chromium switches (say, host names mapped to 127.0.0.1). */
export async function launchBrowser({ args = [] } = {}) {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium is missing: run `npm run setup -- --browser`');
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...args,
    ],
  });
}

// What each page logged and asked for, and what the test file's worker logged, to explain
// a wait that timed out.
const traces = new WeakMap();
let workerLogTail = () => '(no worker started here)';

/**
 * A new page whose console errors and page errors are collected; `problems()` returns
 * them, minus those matching `allowed` (for tests that cut the network on purpose).
 * Motion is reduced by default so that no colour is caught mid-transition. `userAgent`
 * stands in for a person's browser where headless Chromium's own would be taken for a robot.
 */
export async function openPage(
  browser,
  { bypassCSP = false, locale = 'fr-FR', reducedMotion = 'reduce', viewport = { width: 1000, height: 900 }, userAgent } = {},
) {
  const context = await browser.newContext({ bypassCSP, locale, reducedMotion, viewport, userAgent });
  const page = await context.newPage();
  const seen = [];
  const traffic = { console: [], pending: new Map(), failed: [] };
  traces.set(page, traffic);
  page.on('console', (message) => {
    if (message.type() === 'error') seen.push(`console: ${message.text()}`);
    traffic.console.push(`${message.type()}: ${message.text()}`);
  });
  page.on('request', (request) => traffic.pending.set(request, Date.now()));
  page.on('requestfinished', (request) => traffic.pending.delete(request));
  page.on('requestfailed', (request) => {
    traffic.pending.delete(request);
    traffic.failed.push(`${request.url()} (${request.failure()?.errorText})`);
  });
  page.on('pageerror', (error) => seen.push(`page error: ${error.message}`));
  const problems = (allowed = []) => seen.filter((problem) => !allowed.some((pattern) => pattern.test(problem)));
  return { context, page, problems };
}

/**
 * Where a widget's card stands in the space reserved for it: the element's and the card's
 * heights, and the room above the card's first part and below its lowest one (equal when
 * its content sits in the middle).
 */
export function cardLayout(widget) {
  return widget.evaluate((host) => {
    const card = host.shadowRoot.querySelector('.card');
    const box = card.getBoundingClientRect();
    const parts = [...card.children].map((child) => child.getBoundingClientRect());
    return {
      host: host.getBoundingClientRect().height,
      card: box.height,
      above: parts[0].top - box.top,
      below: box.bottom - Math.max(...parts.map((part) => part.bottom)),
    };
  });
}

/**
 * Waits for the demo page's event log to show an event starting with `text` (say
 * `pv:ready {"widget":"qa"`), the `nth` of them. The widgets give up on a stalled request
 * after 20 s and ask again (1 s later for the configuration), so the default wait outlasts
 * one such recovery with room for a slow retry (the local stack's heartbeat, see
 * `startWorker`, keeps wrangler's dev proxy from holding requests). A wait still going after 10 s
 * writes what the page is waiting for to stderr, and one that times out throws it: a CI
 * run must explain itself.
 */
export async function waitForEvent(page, text, { nth = 0, timeout = 45_000 } = {}) {
  const event = page.locator('#event-log li', { hasText: text }).nth(nth);
  const early = Math.min(10_000, timeout);
  try {
    await event.waitFor({ timeout: early });
    return;
  } catch {
    process.stderr.write(`# still waiting for "${text}" (#${nth}) after ${early} ms\n${await explain(page)}\n`);
  }
  try {
    await event.waitFor({ timeout: timeout - early });
  } catch (error) {
    throw new Error(`no "${text}" (#${nth}) after ${timeout} ms\n${await explain(page)}`, { cause: error });
  }
}

/** What the page's widgets show, which events came, and what its requests and console did. */
async function explain(page) {
  const shown = await page
    .evaluate(() => ({
      widgets: [...document.querySelectorAll('pv-nps, pv-review, pv-qa, pv-share, pv-referral')].map(
        (element) => `<${element.localName}> ${element.shadowRoot?.innerHTML.slice(0, 200) || '(not drawn)'}`,
      ),
      events: [...document.querySelectorAll('#event-log li')].map((item) => item.textContent),
    }))
    .catch((reason) => ({ widgets: [], events: [`(page unreadable: ${reason.message})`] }));
  const traffic = traces.get(page) ?? { console: [], pending: new Map(), failed: [] };
  const now = Date.now();
  const pending = [...traffic.pending].map(([request, since]) => `${request.method()} ${request.url()} (${now - since} ms)`);
  return [
    `events: ${shown.events.join(' | ') || '(none)'}`,
    `unanswered requests: ${pending.join(' | ') || '(none)'}`,
    `failed requests: ${traffic.failed.join(' | ') || '(none)'}`,
    `console: ${traffic.console.join(' | ') || '(nothing)'}`,
    ...shown.widgets,
    `worker log, last lines:\n${workerLogTail()}`,
  ].join('\n');
}

/**
 * The local stack and headless Chromium, started together; if one fails to start, the
 * other is stopped, so a failed start ends the test file instead of leaving it hanging.
 */
export async function startStackAndBrowser(stackOptions) {
  const [stack, browser] = await Promise.allSettled([startStack(stackOptions), launchBrowser()]);
  if (stack.status === 'fulfilled' && browser.status === 'fulfilled') {
    workerLogTail = stack.value.workerLogTail;
    return [stack.value, browser.value];
  }
  await Promise.all([
    stack.status === 'fulfilled' ? stack.value.stop() : undefined,
    browser.status === 'fulfilled' ? browser.value.close() : undefined,
  ]);
  throw stack.status === 'rejected' ? stack.reason : browser.reason;
}
