// Portevoix loader: defines the pv-* custom elements at once, reserves their space, and
// draws each widget only when it comes near the viewport; the first one to do so fetches
// the widgets' WebAssembly (streamed, one instance for the whole page). A page whose
// widgets are all below the fold pays nothing until the visitor scrolls. Served by the
// worker as /portevoix.js; the build fills in the hashed module names. Also the page's
// small JS API: window.Portevoix.
const TAGS = ['pv-nps', 'pv-review', 'pv-qa', 'pv-share', 'pv-referral'];
const base = new URL('.', import.meta.url).href;
const script = [...document.querySelectorAll('script[data-site]')].find((s) => s.src === import.meta.url);
const defaultSite = script ? script.dataset.site : '';
let wasm;
let attempts = 0;
// `site` is the first widget's. Its configuration, the glue and the Wasm are all asked for
// at once; the Wasm compiles as it streams in, and is instantiated in a task of its own.
const load = (site) =>
  (wasm ||= (() => {
    const config = site ? fetch(`${base}v1/sites/${site}/config`, { credentials: 'omit' }) : undefined;
    const compiled = wasmModule(base + '__PV_WASM__', '__PV_WASM_SRI__');
    // A failed configuration request is met by the widgets once the Wasm runs; until then
    // it must not count as unhandled.
    config?.catch(() => {});
    // A request that stalls (a phone between networks) counts as failed after 20 s; the
    // browser's own time-out can take minutes.
    const stalled = new Promise((_, reject) => setTimeout(reject, 2e4, Error('portevoix: the Wasm timed out')));
    // The browser answers an import of a module still on its way with that same pending
    // import: a retry asks for the glue under another URL.
    const glueModule = import(`${base}__PV_GLUE__${attempts++ ? `?${attempts}` : ''}`);
    return Promise.race([Promise.all([glueModule, compiled]), stalled]).then(([glue, module]) =>
      inOwnTask(() => glue.default({ module_or_path: module })).then(() => {
        if (config) glue.adopt_config_request(base, site, config);
        return glue;
      }),
    );
  })());

// The Wasm compiles as it streams in while its SHA-384 is checked off the main thread, and
// the module is handed over only if the hash matches: a brand that pins this loader with
// SRI pins the Wasm too. (fetch's own `integrity` hashes the whole module on the main
// thread in one long task; it remains for pages without SubtleCrypto, i.e. not HTTPS.)
const wasmModule = (url, integrity) => {
  if (!crypto.subtle) return WebAssembly.compileStreaming(fetch(url, { integrity }));
  return fetch(url).then((response) => {
    const copy = response.clone();
    return Promise.all([
      WebAssembly.compileStreaming(response),
      copy
        .arrayBuffer()
        .then((bytes) => crypto.subtle.digest('SHA-384', bytes))
        .then((digest) => {
          if (`sha384-${btoa(String.fromCharCode(...new Uint8Array(digest)))}` !== integrity) {
            throw Error(`portevoix: ${url} does not match its integrity hash`);
          }
        }),
    ]).then(([module]) => module);
  });
};

// The space a widget takes, held from the first frame so the page never shifts; a page
// whose theme makes widgets taller sets --pv-min-height on them.
const reserve = new CSSStyleSheet();
reserve.replaceSync(':host{display:block;min-height:var(--pv-min-height,18rem)}');

// Each widget mounts (and first draws) in a task of its own, so that several widgets
// coming into view together never hold the main thread in one long task.
let mounting = Promise.resolve();
const inOwnTask = (work) => {
  const done = mounting.then(() => new Promise((resolve) => setTimeout(resolve))).then(work);
  mounting = done.catch(() => {});
  return done;
};

// Half a screen ahead, so that a scrolling visitor finds the widget already drawn.
const near = new IntersectionObserver(
  (entries) => {
    for (const { isIntersecting, target } of entries) {
      if (!isIntersecting) continue;
      near.unobserve(target);
      target.pvMount();
    }
  },
  { rootMargin: '50% 0px' },
);

class PortevoixElement extends HTMLElement {
  static observedAttributes = ['site', 'lang', 'question', 'customer-token', 'product', 'product-name', 'url', 'text'];

  constructor() {
    super();
    this.addEventListener('pv:ready', () => (this.pvReady = true));
  }

  connectedCallback() {
    const root = this.shadowRoot || this.attachShadow({ mode: 'open' });
    if (!root.adoptedStyleSheets.length) root.adoptedStyleSheets = [reserve];
    this.pvGeneration = (this.pvGeneration || 0) + 1;
    near.observe(this);
  }

  pvMount() {
    const root = this.shadowRoot;
    const generation = this.pvGeneration;
    load(this.getAttribute('site')?.trim() || defaultSite)
      .catch((error) => {
        // A failed load (not a failed mount: that one's Wasm is running) is forgotten and
        // tried again after 2 and 4 s: a dropped or stalled request often goes through then.
        wasm = undefined;
        const tries = (this.pvTries = (this.pvTries || 0) + 1);
        if (tries < 3) setTimeout(() => this.pvMount(), 2e3 * tries);
        throw error;
      })
      .then((glue) =>
        inOwnTask(() => {
          if (this.isConnected && generation === this.pvGeneration && !this.pvWidget) {
            this.pvWidget = glue.mount(this, root, base, defaultSite);
          }
        }),
      )
      .catch((error) => {
        this.dispatchEvent(
          new CustomEvent('pv:error', {
            bubbles: true,
            composed: true,
            detail: { code: 'load_failed', message: String(error) },
          }),
        );
      });
  }

  disconnectedCallback() {
    near.unobserve(this);
    this.pvGeneration++;
    this.pvReady = false;
    this.pvWidget?.unmount();
    this.pvWidget?.free();
    this.pvWidget = undefined;
  }

  attributeChangedCallback() {
    this.pvWidget?.update();
  }
}

for (const name of TAGS) {
  if (!customElements.get(name)) customElements.define(name, class extends PortevoixElement {});
}

window.Portevoix = {
  /** Signs every widget on the page in as a known customer, or out with no token. */
  setCustomerToken(token) {
    for (const element of document.querySelectorAll(TAGS.join())) {
      if (token) element.setAttribute('customer-token', token);
      else element.removeAttribute('customer-token');
    }
  },
  /** Shows a widget (element or selector), scrolls it into view and focuses it. */
  async open(target) {
    const element = typeof target === 'string' ? document.querySelector(target) : target;
    if (!element || !TAGS.includes(element.localName)) return false;
    element.hidden = false;
    const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
    element.scrollIntoView({ block: 'center', behavior: still ? 'auto' : 'smooth' });
    if (!element.pvReady) await new Promise((ready) => element.addEventListener('pv:ready', ready, { once: true }));
    element.pvWidget?.focus();
    return true;
  },
};

// A visit through a share link (WORKER/s/{code} lands here with pv_share) or a referral
// link (WORKER/r/{code}, pv_ref): report it with this browser's visitor id, the one the
// widgets use, so the worker can tell a friend from the sharer; keep a referral code for
// <pv-referral>'s friend offer; then take the marker out of the address bar.
const landed = new URL(location.href);
const marks = [
  ['pv_share', 'shares', /^[\da-f]{12}$/],
  ['pv_ref', 'referrals', /^[\da-f]{10}$/i],
];
for (const [param, route, shape] of marks) {
  const code = landed.searchParams.get(param);
  if (!defaultSite || !shape.test(code || '')) continue;
  let visitor;
  try {
    visitor = localStorage.getItem('portevoix.visitor');
    if (!/^[\w-]{8,128}$/.test(visitor || '')) localStorage.setItem('portevoix.visitor', (visitor = crypto.randomUUID()));
    if (param === 'pv_ref') localStorage.setItem('portevoix.referral', JSON.stringify({ code: code.toUpperCase(), at: Date.now() }));
  } catch {
    visitor ||= crypto.randomUUID();
  }
  fetch(`${base}v1/sites/${defaultSite}/${route}/${code}/visits`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ visitor_id: visitor }),
    credentials: 'omit',
    keepalive: true,
  })
    .then((response) => response.json())
    .then((detail) => document.dispatchEvent(new CustomEvent('pv:visit', { detail: { code, via: route, ...detail } })))
    .catch(() => {});
  landed.searchParams.delete(param);
  history.replaceState(history.state, '', landed);
}
