// `npm run lint`: formatting and clippy, warnings as errors, for the native and the
// WebAssembly builds (the widgets, the console and the worker only really compile for
// wasm32), and every JavaScript file of the project parsed.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root, run, say } from './lib.mjs';

const JS_FOLDERS = ['scripts', 'scripts/bench', 'tests', 'widgets/loader', 'demo-site'];

/**
 * Parses every JavaScript file: the scripts no test runs (`npm run bench`, `npm run
 * deploy`) would otherwise break unseen until someone runs them.
 */
function checkJavaScript() {
  const files = JS_FOLDERS.flatMap((folder) =>
    readdirSync(join(root, folder))
      .filter((name) => /\.m?js$/.test(name))
      .map((name) => join(folder, name)),
  );
  say(`$ node --check, on each of ${files.length} JavaScript files`);
  for (const file of files) {
    const result = spawnSync(process.execPath, ['--check', file], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${file} does not parse:\n${result.stderr}`);
  }
}

export async function lint() {
  checkJavaScript();
  await run('cargo', ['fmt', '--all', '--', '--check']);
  await run('cargo', ['clippy', '--workspace', '--all-targets', '--quiet', '--', '-D', 'warnings']);
  await run('cargo', ['clippy', '--target', 'wasm32-unknown-unknown', '-p', 'portevoix-widgets', '-p', 'portevoix-console', '-p', 'portevoix-worker', '--quiet', '--', '-D', 'warnings']);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { setup } = await import('./setup.mjs');
  await setup();
  await lint();
}
