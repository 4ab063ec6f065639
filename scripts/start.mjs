// `npm start`: installs what is missing, builds, and runs the worker (API + widgets) on
// http://127.0.0.1:8787 with a local D1 and the demo brand site on http://127.0.0.1:8080.
// Data lives in .portevoix/ and survives restarts. Ctrl-C stops everything.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from './build.mjs';
import { root, say } from './lib.mjs';
import { storeDemoContent } from './demo-content.mjs';
import { prepareDatabase, startDemoSite, startWorker } from './local.mjs';
import { buildSiteChecker, secret } from './sites.mjs';
import { setup } from './setup.mjs';

const workerPort = Number(process.env.PORTEVOIX_WORKER_PORT || 8787);
const demoPort = Number(process.env.PORTEVOIX_DEMO_PORT || 8080);
const home = join(root, '.portevoix');
const state = join(home, 'state');

function kept(name) {
  const file = join(home, name);
  if (!existsSync(file)) writeFileSync(file, secret() + '\n', { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

await setup();
await build();
await buildSiteChecker();
mkdirSync(home, { recursive: true });
const adminToken = kept('admin-token');
const customerSecret = kept('customer-token-secret');
const demoOrigin = `http://127.0.0.1:${demoPort}`;
const sites = await prepareDatabase({ state, demoOrigin, adminToken, customerSecret });
const worker = await startWorker({ port: workerPort, state });
const demo = await startDemoSite({ port: demoPort, workerOrigin: worker.origin, customerSecret, adminToken });
try {
  const stored = await storeDemoContent({ workerOrigin: worker.origin, demoOrigin, adminToken });
  if (stored.reviews || stored.questions) {
    say(`demo content: ${stored.reviews} reviews and ${stored.questions} questions stored for the Bivouac 2 tent (demo-site/content.json)`);
  }
} catch (error) {
  say(`demo content not stored (the demo works without it): ${error.message}`);
}
// Cloudflare runs the worker's cron every minute; locally, this does.
const cron = setInterval(() => fetch(`${worker.origin}/__scheduled?cron=*+*+*+*+*`).catch(() => {}), 60_000);

say('ready');
console.log(`
  Demo brand site   ${demo.origin}/            (site cairn)
  Second theme      ${demo.origin}/nuit.html   (site cairn-nuit, with a dark/light switch)
  Worker (API)      ${worker.origin}/v1/sites/cairn/config
  Brand console     ${worker.origin}/console?site=cairn   (sign in with the admin token)
  Sites             ${sites.join(', ')}, all with this admin token:
  Admin token       ${adminToken}

  NPS summary:
    curl -H 'Authorization: Bearer ${adminToken}' ${worker.origin}/v1/sites/cairn/nps/summary

  Press Ctrl-C to stop. Data is kept in .portevoix/.
`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  say('stopping');
  clearInterval(cron);
  await Promise.all([worker.stop(), demo.stop()]);
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
