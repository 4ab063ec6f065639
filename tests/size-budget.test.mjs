// The size budget (size-budget.json): every kilobyte a widget weighs is paid by every
// visitor of the brand's pages, so the built files may not grow past it unnoticed. Sizes
// are deterministic for a given build; times are measured by `npm run bench`, never here.
// The brand console has a budget too: its users load it on every visit.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { assetsDir, builtFiles, root } from '../scripts/lib.mjs';

const budget = JSON.parse(readFileSync(join(root, 'size-budget.json'), 'utf8')).gzip_bytes;
const gzipped = (path) => gzipSync(readFileSync(path), { level: 9 }).length;

test('the built loader, glue and Wasm stay within the size budget', () => {
  const widgets = builtFiles('portevoix');
  const sizes = {
    loader: gzipped(join(assetsDir, 'portevoix.js')),
    glue: gzipped(widgets.js),
    wasm: gzipped(widgets.wasm),
  };
  sizes.total = sizes.loader + sizes.glue + sizes.wasm;
  const over = Object.entries(sizes)
    .filter(([file, bytes]) => bytes > budget[file])
    .map(([file, bytes]) => `${file}: ${bytes} bytes gzip, budget ${budget[file]}`);
  assert.deepEqual(over, [], `over the size budget (size-budget.json): ${over.join('; ')}`);
});

test('the built brand console stays within its size budget', () => {
  const files = builtFiles('console');
  const bytes = gzipped(files.wasm) + gzipped(files.js) + gzipped(files.css);
  assert.ok(bytes <= budget.console, `the console weighs ${bytes} bytes gzip, budget ${budget.console} (size-budget.json)`);
});
