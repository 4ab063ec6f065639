// `npm run deploy`: builds, applies the D1 migrations to the Cloudflare database and
// deploys the worker with its assets. Needs `wrangler login` (or CLOUDFLARE_API_TOKEN)
// and the real database_id in worker/wrangler.toml; see the README's Deployment section.
import { build } from './build.mjs';
import { bin, run, workerDir, wranglerEnv } from './lib.mjs';
import { setup } from './setup.mjs';
import { d1 } from './sites.mjs';

await setup();
await build();
await d1(['migrations', 'apply', 'DB'], { remote: true });
await run(bin('wrangler'), ['deploy'], { cwd: workerDir, env: wranglerEnv });
