// `npm test`: every test, in order of cost. Installs what is missing (including Chromium),
// checks formatting and lints, runs the native Rust tests, builds the widgets and the
// worker, then runs the worker-over-HTTP and browser tests against workerd and Chromium.
// Exits non-zero on the first failure.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from './build.mjs';
import { lint } from './lint.mjs';
import { root, run, say } from './lib.mjs';
import { setup } from './setup.mjs';

const started = Date.now();
try {
  await setup({ browser: true });
  await lint();
  say('native tests (cargo test)');
  await run('cargo', ['test', '--workspace', '--quiet']);
  await build();
  say('worker and browser tests (workerd + Chromium)');
  const specs = readdirSync(join(root, 'tests'))
    .filter((name) => name.endsWith('.test.mjs'))
    .map((name) => join('tests', name));
  // The migrations are applied once, here; each test file's stack copies the result.
  // Imported only now: they need the npm packages that setup installs.
  const { migrateDatabase } = await import('./local.mjs');
  const { MIGRATED_STATE_VARIABLE } = await import('../tests/support.mjs');
  const migrated = mkdtempSync(join(tmpdir(), 'portevoix-migrated-'));
  try {
    await migrateDatabase(migrated, { quiet: true });
    await run(process.execPath, ['--test', '--test-concurrency=1', ...specs], {
      env: { ...process.env, [MIGRATED_STATE_VARIABLE]: migrated },
    });
  } finally {
    rmSync(migrated, { recursive: true, force: true });
  }
  say(`all tests passed in ${Math.round((Date.now() - started) / 1000)} s`);
} catch (error) {
  say(`FAILED: ${error.message}`);
  process.exit(1);
}
