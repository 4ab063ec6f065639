// Builds the widgets' Wasm and loader into worker/assets/ and the worker into
// worker/build/. Every file name under /w/ carries a content hash, so those files are
// cached for a year; the loader itself is cached briefly.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assetsDir, bin, cargoBin, cargoHome, output, root, run, say, workerDir } from './lib.mjs';

const wasmTarget = join(root, 'target', 'wasm32-unknown-unknown', 'release');
const bindgenDir = join(root, 'target', 'widgets-bindgen');
// The WebAssembly features rustc enables by default for wasm32-unknown-unknown.
const wasmFeatures = [
  '--enable-bulk-memory',
  '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int',
  '--enable-sign-ext',
  '--enable-reference-types',
  '--enable-multivalue',
];

// Panic messages name the source file of crates.io code by its full path under cargo's
// home: cut to `cargo/…`, so that the Wasm's bytes (and the size budget) do not depend on
// where a machine keeps cargo, and are a little shorter. For the three Wasm builds alike,
// so the dependencies they share are built once.
const wasmBuildEnv = {
  ...process.env,
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS: `--remap-path-prefix=${join(cargoHome, 'registry', 'src')}=cargo`,
};

const shortHash = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
// SRI hashes: SHA-384 for the loader, which brands pin; SHA-256 for the files the loader
// pins in turn (shorter, and every byte of the loader is paid on every page).
const integrity = (bytes, algorithm = 'sha384') => `${algorithm}-${createHash(algorithm).update(bytes).digest('base64')}`;

/**
 * `wasm-opt -Oz` on wasm-bindgen's output in `dir`, after folding identical functions and
 * merging near-identical ones (Rust's generics leave many that differ only in a constant
 * or a callee: 1.5 to 2% less gzip), run again until it shrinks no more (`--converge`:
 * 0.3 to 0.5% less gzip, for 10 s more of build), with every import, export and module renamed
 * to a letter or two, the producers and target-features sections (tool metadata no
 * browser reads: 0.2 KB gzip) dropped, and the glue `${stem}.js` rewritten to match.
 * wasm-bindgen names each import after its Rust item and a hash
 * (`__wbg_createElement_de4a31ed2fb252be`), spelt out in both files: random hex that no
 * compressor shrinks. Fails the build when the glue does not read as expected, rather
 * than ship a module whose imports the glue does not provide. Returns the Wasm's path.
 */
function optimizeWasm(dir, stem) {
  const shrunk = join(dir, 'shrunk.wasm');
  const optimized = join(dir, 'optimized.wasm');
  // Renaming in a run of its own: `--converge` would rename the renamed names again.
  const shrink = ['--duplicate-function-elimination', '--merge-similar-functions', '-Oz', '--converge', ...wasmFeatures, join(dir, `${stem}_bg.wasm`), '-o', shrunk];
  const rename = ['--minify-imports-and-exports-and-modules', '--strip-producers', '--strip-target-features', ...wasmFeatures, shrunk, '-o', optimized];
  say(`$ wasm-opt ${shrink.join(' ')}`);
  if (output(bin('wasm-opt'), shrink, { stdio: ['ignore', 'pipe', 'inherit'] }) === null) throw new Error('wasm-opt failed');
  say(`$ wasm-opt ${rename.join(' ')}`);
  const renamed = output(bin('wasm-opt'), rename, { stdio: ['ignore', 'pipe', 'inherit'] });
  if (renamed === null) throw new Error('wasm-opt failed');
  const { imports, exports } = JSON.parse(renamed);
  const modules = new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(optimized))).map((entry) => entry.module));
  const gluePath = join(dir, `${stem}.js`);
  let glue = readFileSync(gluePath, 'utf8');
  const replaceOnce = (pattern, replacement, what) => {
    const found = glue.match(new RegExp(pattern, 'g'))?.length ?? 0;
    if (found !== 1) throw new Error(`the glue names ${what} ${found} times, not once: has wasm-bindgen changed its output?`);
    glue = glue.replace(new RegExp(pattern), () => replacement);
  };
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (modules.size !== 1) throw new Error(`the Wasm imports from ${modules.size} modules, not one`);
  replaceOnce(escape(`"./${stem}_bg.js": `), `"${[...modules][0]}": `, 'its import module');
  for (const [, name, short] of imports) replaceOnce(`(?<![\\w$])${escape(name)}(?=: function)`, `"${short}"`, `import ${name}`);
  for (const [name, short] of exports) {
    glue = glue.replace(new RegExp(`\\bwasm\\.${escape(name)}(?![\\w$])`, 'g'), () => `wasm.${short}`);
  }
  writeFileSync(gluePath, glue);
  return optimized;
}

async function buildWidgets() {
  say('building the widgets (Rust → Wasm)');
  await run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '-p', 'portevoix-widgets'], { env: wasmBuildEnv });
  rmSync(bindgenDir, { recursive: true, force: true });
  await run(cargoBin('wasm-bindgen'), [
    '--target', 'web', '--no-typescript', '--out-dir', bindgenDir,
    join(wasmTarget, 'portevoix_widgets.wasm'),
  ]);
  const optimized = optimizeWasm(bindgenDir, 'portevoix_widgets');

  rmSync(assetsDir, { recursive: true, force: true });
  mkdirSync(join(assetsDir, 'w'), { recursive: true });
  const wasm = readFileSync(optimized);
  // The glue carries the Wasm's hash: the loader pins the glue, the glue pins the Wasm. So
  // the glue's hash names both files (the loader then carries one name for the pair).
  const glueSource = join(bindgenDir, 'portevoix_widgets.js');
  writeFileSync(
    glueSource,
    `${readFileSync(glueSource, 'utf8')}\nexport const wasmIntegrity = '${integrity(wasm, 'sha256')}';\n`,
  );
  const glueMin = join(bindgenDir, 'glue.min.js');
  await run(bin('esbuild'), [glueSource, '--minify', '--format=esm', `--outfile=${glueMin}`, '--log-level=warning']);
  const glue = readFileSync(glueMin);
  const pair = `w/portevoix-${shortHash(glue)}`;
  const wasmName = `${pair}.wasm`;
  const glueName = `${pair}.js`;
  writeFileSync(join(assetsDir, wasmName), wasm);
  writeFileSync(join(assetsDir, glueName), glue);

  const loaderTemplate = readFileSync(join(root, 'widgets', 'loader', 'portevoix.js'), 'utf8');
  const loaderFilled = join(bindgenDir, 'loader.js');
  writeFileSync(
    loaderFilled,
    loaderTemplate
      .replace('__PV_FILES__', pair)
      .replace('__PV_GLUE_SRI__', integrity(glue, 'sha256')),
  );
  const loaderPath = join(assetsDir, 'portevoix.js');
  await run(bin('esbuild'), [loaderFilled, '--minify', '--format=esm', `--outfile=${loaderPath}`, '--log-level=warning']);
  // For brands who pin the loader with SRI; the loader pins the Wasm and the glue in turn.
  const hashes = {
    '/portevoix.js': integrity(readFileSync(loaderPath)),
    [`/${wasmName}`]: integrity(wasm, 'sha256'),
    [`/${glueName}`]: integrity(glue, 'sha256'),
  };
  writeFileSync(join(assetsDir, 'integrity.json'), JSON.stringify(hashes, null, 2) + '\n');

  writeFileSync(
    join(assetsDir, '_headers'),
    [
      '/portevoix.js',
      '  Cache-Control: public, max-age=300',
      '/integrity.json',
      '  Cache-Control: public, max-age=300',
      // The console holds a signed-in marketer's session: never framed, nothing but
      // its own files, always revalidated.
      '/console',
      '  Cache-Control: no-cache',
      "  Content-Security-Policy: default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      '  X-Frame-Options: DENY',
      '/w/*',
      '  Cache-Control: public, max-age=31536000, immutable',
      '/*',
      '  Access-Control-Allow-Origin: *',
      '  Cross-Origin-Resource-Policy: cross-origin',
      '  X-Content-Type-Options: nosniff',
      '  Referrer-Policy: no-referrer',
      '  Strict-Transport-Security: max-age=31536000; includeSubDomains',
      '',
    ].join('\n'),
  );
  say(`widgets: ${wasmName} (${wasm.length} bytes), ${glueName} (${glue.length} bytes)`);
}

/**
 * The brand console: its Wasm, a small entry module that starts it, its stylesheet and
 * icon, all under hashed names, and `console.html` (served as /console) naming them.
 */
async function buildConsole() {
  say('building the brand console (Rust → Wasm)');
  await run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '-p', 'portevoix-console'], { env: wasmBuildEnv });
  const outDir = join(root, 'target', 'console-bindgen');
  rmSync(outDir, { recursive: true, force: true });
  await run(cargoBin('wasm-bindgen'), [
    '--target', 'web', '--no-typescript', '--out-dir', outDir,
    join(wasmTarget, 'portevoix_console.wasm'),
  ]);
  const optimized = optimizeWasm(outDir, 'portevoix_console');
  const wasm = readFileSync(optimized);
  const wasmName = `w/console-${shortHash(wasm)}.wasm`;
  writeFileSync(join(assetsDir, wasmName), wasm);

  const entry = join(outDir, 'entry.js');
  writeFileSync(
    entry,
    `import init from './portevoix_console.js';\ninit({ module_or_path: new URL('/${wasmName}', location.origin) });\n`,
  );
  const bundled = join(outDir, 'console.min.js');
  await run(bin('esbuild'), [entry, '--bundle', '--minify', '--format=esm', `--outfile=${bundled}`, '--log-level=warning']);
  const script = readFileSync(bundled);
  const scriptName = `w/console-${shortHash(script)}.js`;
  writeFileSync(join(assetsDir, scriptName), script);

  const css = readFileSync(join(root, 'console', 'console.css'));
  const cssName = `w/console-${shortHash(css)}.css`;
  writeFileSync(join(assetsDir, cssName), css);

  const icon = readFileSync(join(root, 'console', 'favicon.svg'));
  const iconName = `w/console-${shortHash(icon)}.svg`;
  writeFileSync(join(assetsDir, iconName), icon);

  const page = readFileSync(join(root, 'console', 'index.html'), 'utf8')
    .replace('__CONSOLE_JS__', scriptName)
    .replace('__CONSOLE_CSS__', cssName)
    .replace('__CONSOLE_ICON__', iconName);
  writeFileSync(join(assetsDir, 'console.html'), page);
  say(`console: ${wasmName} (${wasm.length} bytes)`);
}

async function buildWorker() {
  say('building the worker (Rust → Wasm for workerd)');
  await run(cargoBin('worker-build'), ['--release'], {
    cwd: workerDir,
    env: {
      ...wasmBuildEnv,
      WASM_BINDGEN_BIN: cargoBin('wasm-bindgen'),
      ESBUILD_BIN: bin('esbuild'),
      WASM_OPT_BIN: bin('wasm-opt'),
    },
  });
}

export async function build() {
  await buildWidgets();
  await buildConsole();
  await buildWorker();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { setup } = await import('./setup.mjs');
  await setup();
  await build();
}
