// `npm run lint`: formatting and clippy, warnings as errors, for the native and the
// WebAssembly builds (the widgets, the console and the worker only really compile for wasm32).
import { pathToFileURL } from 'node:url';
import { run } from './lib.mjs';

export async function lint() {
  await run('cargo', ['fmt', '--all', '--', '--check']);
  await run('cargo', ['clippy', '--workspace', '--all-targets', '--quiet', '--', '-D', 'warnings']);
  await run('cargo', ['clippy', '--target', 'wasm32-unknown-unknown', '-p', 'portevoix-widgets', '-p', 'portevoix-console', '-p', 'portevoix-worker', '--quiet', '--', '-D', 'warnings']);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { setup } = await import('./setup.mjs');
  await setup();
  await lint();
}
