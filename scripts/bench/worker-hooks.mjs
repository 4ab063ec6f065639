// Module hooks that let Node.js load the worker as workerd does: `cloudflare:workers` (of
// which the worker's shim takes only the `WorkerEntrypoint` base class) and a `.wasm`
// import answering the compiled module.
const ENTRYPOINT = 'export class WorkerEntrypoint { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }';

export async function resolve(specifier, context, next) {
  if (specifier === 'cloudflare:workers') return { url: `data:text/javascript,${encodeURIComponent(ENTRYPOINT)}`, shortCircuit: true };
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.wasm')) return next(url, context);
  return {
    format: 'module',
    shortCircuit: true,
    source: `import { readFileSync } from 'node:fs'; export default new WebAssembly.Module(readFileSync(new URL(${JSON.stringify(url)})));`,
  };
}
