// Shared helpers of the npm scripts: paths, running commands loudly, reading versions.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const workerDir = join(root, 'worker');
export const assetsDir = join(workerDir, 'assets');
export const bin = (name) => join(root, 'node_modules', '.bin', name);

/**
 * The built files of `app` (`portevoix` for the widgets, `console` for the brand console)
 * under assets/w/, by kind: `{ js, wasm, css }` (absolute paths, or undefined).
 */
export function builtFiles(app) {
  const named = readdirSync(join(assetsDir, 'w')).filter((name) => name.startsWith(`${app}-`));
  const of = (extension) => {
    const name = named.find((file) => file.endsWith(extension));
    return name && join(assetsDir, 'w', name);
  };
  return { js: of('.js'), wasm: of('.wasm'), css: of('.css') };
}
/** Where cargo keeps its tools and its registry's sources. */
export const cargoHome = process.env.CARGO_HOME || join(process.env.HOME, '.cargo');
export const cargoBin = (name) => join(cargoHome, 'bin', name);

export function say(message) {
  console.log(`\x1b[1m[portevoix]\x1b[0m ${message}`);
}

/**
 * Runs a command with inherited output; rejects when it fails. `label` replaces the
 * echoed command line when the arguments hold secrets.
 */
export function run(command, args = [], { label, ...options } = {}) {
  say(`$ ${label ?? [command, ...args].join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: root, ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${signal || code}`)),
    );
  });
}

/** Runs a command quietly and returns its trimmed stdout, or null when it cannot run. */
export function output(command, args = [], options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', cwd: root, ...options });
  return result.status === 0 ? result.stdout.trim() : null;
}

/** The version Cargo.lock pins for a crate. */
export function lockedVersion(crate) {
  const lock = readFileSync(join(root, 'Cargo.lock'), 'utf8');
  const match = lock.match(new RegExp(`\\[\\[package\\]\\]\\nname = "${crate}"\\nversion = "([^"]+)"`));
  if (!match) throw new Error(`${crate} is not in Cargo.lock`);
  return match[1];
}

/** A TCP port on 127.0.0.1 that is free right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Debian's Chromium, looked up when needed (setup may have just installed it). */
export const chromiumPath = () => ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

/** Environment for wrangler: no metrics, no update checks, nothing leaves the machine. */
export const wranglerEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  // No request to workers.cloudflare.com for `Request.cf` at each start (the placeholder
  // serves): the local stack stays on this machine.
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  NO_UPDATE_NOTIFIER: '1',
};
