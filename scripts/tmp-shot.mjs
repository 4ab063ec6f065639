import { startStack } from '../tests/support.mjs';
const { launchBrowser, waitForEvent } = await import('../tests/browser.mjs');
const stack = await startStack();
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(`${stack.demoOrigin}/`);
  await waitForEvent(page, 'pv:ready {"widget":"nps"');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: '/tmp/desk.png' });
  await context.close();
} finally {
  await browser.close();
  await stack.stop();
}
