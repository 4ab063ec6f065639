// Headless Chromium for the widget tests, driven by playwright-core. Each test gets a fresh
// context (so a fresh visitor) and fails on any console error or uncaught page error.
import { chromium } from 'playwright-core';
import { chromiumPath } from '../scripts/lib.mjs';

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
  page.on('console', (message) => {
    if (message.type() === 'error') seen.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => seen.push(`page error: ${error.message}`));
  const problems = (allowed = []) => seen.filter((problem) => !allowed.some((pattern) => pattern.test(problem)));
  return { context, page, problems };
}
