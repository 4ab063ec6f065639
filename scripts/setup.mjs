// Installs what the build, the demo and the tests need and this machine lacks; skips
// what is already there. Run by `npm start` and `npm test`, or alone with `npm run setup`.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cargoBin, lockedVersion, output, root, run, say } from './lib.mjs';

async function wasmTarget() {
  const installed = output('rustup', ['target', 'list', '--installed']) || '';
  if (installed.split('\n').includes('wasm32-unknown-unknown')) return say('wasm32 target: present');
  say('wasm32 target: installing');
  await run('rustup', ['target', 'add', 'wasm32-unknown-unknown']);
}

async function cargoTool(crate, binary, version, extraArgs = []) {
  const found = output(cargoBin(binary), ['--version']) || '';
  if (found.split(/\s+/).includes(version)) return say(`${binary} ${version}: present`);
  say(`${binary} ${version}: installing (a few minutes, once per machine)`);
  await run('cargo', ['install', crate, '--version', version, ...extraArgs]);
}

async function npmPackages() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const fresh =
    existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs;
  if (fresh) return say('npm packages: present');
  say('npm packages: installing from package-lock.json');
  await run('npm', ['ci', '--no-audit', '--no-fund']);
}

async function debianPackage(command, name) {
  if (output('sh', ['-c', `command -v ${command}`])) return say(`${name}: present`);
  if (process.getuid?.() !== 0) throw new Error(`${name} is missing: install the Debian package \`${name}\``);
  say(`${name}: installing the Debian package`);
  await run('apt-get', ['update']);
  await run('apt-get', ['install', '-y', '--no-install-recommends', name]);
}

/** The Node.js release whose V8 runs the worker's Wasm for `npm run bench`'s CPU figures. */
export const BENCH_NODE_VERSION = '24.22.3';
/** Where that Node.js is kept, once fetched. */
export const benchNode = join(root, 'target', 'bench-node', 'package', 'bin', 'node');

/**
 * A Node.js whose V8 compiles the worker's Wasm (it uses the exception-handling proposal's
 * `try_table`, which Node 20 cannot), from the npm registry's build for this platform.
 */
async function nodeForWorkerCpu() {
  if (existsSync(benchNode)) return say(`Node.js ${BENCH_NODE_VERSION} for the worker's CPU figures: present`);
  say(`Node.js ${BENCH_NODE_VERSION} for the worker's CPU figures: fetching from the npm registry`);
  const folder = join(root, 'target', 'bench-node');
  mkdirSync(folder, { recursive: true });
  const archive = output('npm', ['pack', '--silent', `node-${process.platform}-${process.arch}@${BENCH_NODE_VERSION}`], { cwd: folder });
  if (!archive) throw new Error(`npm could not fetch node-${process.platform}-${process.arch}@${BENCH_NODE_VERSION}`);
  await run('tar', ['xzf', join(folder, archive), '-C', folder]);
}

/**
 * Everything `npm start` needs; `browser` adds what `npm test` needs on top, `load` the
 * load generator and the worker's CPU rig of `npm run bench`.
 */
export async function setup({ browser = false, load = false } = {}) {
  await wasmTarget();
  // No --locked: a dependency that wasm-bindgen-cli 0.2.130 locks was yanked since.
  await cargoTool('wasm-bindgen-cli', 'wasm-bindgen', lockedVersion('wasm-bindgen'));
  await cargoTool('worker-build', 'worker-build', lockedVersion('worker'));
  await npmPackages();
  if (browser) await debianPackage('chromium', 'chromium');
  if (load) await debianPackage('wrk', 'wrk');
  if (load) await nodeForWorkerCpu();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await setup({ browser: process.argv.includes('--browser') });
}
