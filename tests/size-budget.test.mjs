// The size budget (size-budget.json): every kilobyte a widget weighs is paid by every
// visitor of the brand's pages, so the built files may not grow past it unnoticed. Sizes
// are deterministic for a given build; times are measured by `npm run bench`, never here.
// The brand console has a budget too: its users load it on every visit. The worker must
// fit Cloudflare's limit for the free plan, checked on what `npm run deploy` would upload.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { assetsDir, bin, builtFiles, root, workerDir, wranglerEnv } from '../scripts/lib.mjs';

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

test('the worker, as `npm run deploy` would upload it, fits the free plan and has every binding its code uses', async () => {
  const outdir = mkdtempSync(join(tmpdir(), 'portevoix-dry-run-'));
  try {
    // wrangler's own packaging, stopped before anything leaves the machine.
    const { stdout } = await promisify(execFile)(bin('wrangler'), ['deploy', '--dry-run', '--outdir', outdir], {
      cwd: workerDir,
      env: { ...wranglerEnv, CI: 'true' },
    });
    const gzipKib = Number(stdout.match(/Total Upload: [\d.]+ KiB \/ gzip: ([\d.]+) KiB/)?.[1]);
    assert.ok(gzipKib > 0, `wrangler printed no upload size:\n${stdout}`);
    // Cloudflare's free plan takes a worker of at most 3 MB compressed.
    assert.ok(gzipKib * 1024 < 3 * 1024 * 1024, `the worker uploads ${gzipKib} KiB gzip, over the free plan's 3 MB`);
    // The bindings the code asks for: its D1 databases and its rate-limit counters.
    const source = (path) => readFileSync(join(root, path), 'utf8');
    const used = [
      ...[...source('worker/src/lib.rs').matchAll(/env\.d1\("(\w+)"\)/g)].map((match) => match[1]),
      ...[...source('core/src/limits.rs').matchAll(/=> "(LIMIT_\w+)"/g)].map((match) => match[1]),
    ];
    assert.ok(used.length >= 5, `found only ${used.join(', ')} in the sources`);
    for (const binding of new Set(used)) {
      assert.match(stdout, new RegExp(`^env\\.${binding} `, 'm'), `wrangler.toml binds no ${binding}:\n${stdout}`);
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
