// On a fresh clone, `npm start`, `npm test` and the other npm scripts run before any npm
// package is installed: their own set-up installs them. So the modules they load before
// that set-up may import Node's built-ins only; a package is imported later, with
// `await import(…)`. (A static `import … from 'miniflare'` once made `npm start` crash on
// a fresh clone while every test, run after set-up, passed.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { root } from '../scripts/lib.mjs';

/** The specifiers of a module's static imports (`import … from '…'`, `import '…'`). */
function staticImports(path) {
  const source = readFileSync(path, 'utf8');
  return [...source.matchAll(/^import\s+(?:[^;]*?\s+from\s+)?'([^']+)';/gms)].map((match) => match[1]);
}

/** Every module reached from `entry` by static imports, with the packages each imports. */
function packagesImportedBy(entry) {
  const found = [];
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const specifier of staticImports(path)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(path), specifier));
      else if (!specifier.startsWith('node:')) found.push(`${relative(root, path)} imports ${specifier}`);
    }
  };
  visit(entry);
  return found;
}

test('the npm scripts load no npm package before their set-up has installed it', () => {
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
  const entries = Object.values(scripts).map((command) => command.match(/^node (\S+\.mjs)$/)?.[1]);
  assert.ok(entries.length >= 5 && entries.every(Boolean), 'every npm script is `node scripts/….mjs`');
  for (const entry of entries) {
    assert.deepEqual(packagesImportedBy(join(root, entry)), [], entry);
  }
});

test('the check sees a package imported through a relative module', () => {
  assert.deepEqual(packagesImportedBy(join(root, 'tests', 'browser.mjs')), ['tests/browser.mjs imports playwright-core']);
});
