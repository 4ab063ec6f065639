// Portevoix loader: defines the pv-* custom elements at once, reserves their space, and
// draws each widget only when it comes near the viewport; the first one to do so fetches
// the widgets' WebAssembly (streamed, one instance for the whole page). A page whose
// widgets are all below the fold pays nothing until the visitor scrolls. Served by the
// worker as /portevoix.js; the build fills in the hashed module names. Also the page's
// small JS API: window.Portevoix.
const TAGS = ['pv-nps', 'pv-review', 'pv-qa', 'pv-share', 'pv-referral'];
const base = new URL('.', import.meta.url).href;
// The Wasm and its glue, named by the build after the glue's hash.
const files = `${base}__PV_FILES__`;
const defaultSite = [...document.querySelectorAll('script[data-site]')].find((s) => s.src === import.meta.url)?.dataset.site || '';
let wasm;
let attempts = 0;
// `site` is the first widget's. Its configuration, the glue and the Wasm are all asked for
// at once, the Wasm first, the others each in a task of its own (starting a request can
// take the main thread a while); the Wasm compiles as it streams in, and is instantiated
// in a task of its own.
const load = (site) =>
  (wasm ||= (() => {
    // The browser answers an import of a module still on its way with that same pending
    // import: a retry asks for the glue under another URL.
    const glueModule = inOwnTask(() => importChecked(`${files}.js${attempts++ ? `?${attempts}` : ''}`));
    const compiled = wasmModule(`${files}.wasm`, glueModule.then((glue) => glue.wasmIntegrity));
    const config = site ? inOwnTask(() => fetch(`${base}v1/sites/${site}/config`, { credentials: 'omit' })) : undefined;
    // A failed configuration request is met by the widgets once the Wasm runs; until then
    // it must not count as unhandled.
    config?.catch(() => {});
    // A request that stalls (a phone between networks) counts as failed after 20 s; the
    // browser's own time-out can take minutes.
    const stalled = new Promise((_, reject) => setTimeout(reject, 2e4, Error('portevoix: timed out')));
    return Promise.race([Promise.all([glueModule, compiled]), stalled]).then(([glue, module]) =>
      inOwnTask(() => glue.default({ module_or_path: module })).then(() => {
        if (config) glue.adopt_config_request(base, site, config);
        return glue;
      }),
    );
  })());

// The Wasm compiles as it streams in while its SHA-256 is checked off the main thread, and
// the module is handed over only if the hash matches the one the glue carries: a brand that
// pins this loader with SRI pins the glue, and so the Wasm. (fetch's own `integrity` hashes
// the whole module on the main thread in one long task; it remains for pages without
// SubtleCrypto, i.e. not HTTPS, which fetch the Wasm once the glue is in.)
const wasmModule = (url, integrity) => {
  if (!crypto.subtle) return integrity.then((integrity) => WebAssembly.compileStreaming(fetch(url, { integrity })));
  // Every promise here is awaited from the start: a glue that fails before the Wasm's
  // answer comes must not count as unhandled on the brand's page.
  const response = fetch(url);
  return Promise.all([
    response.then((response) => WebAssembly.compileStreaming(response.clone())),
    response.then((response) => response.arrayBuffer()).then((bytes) => crypto.subtle.digest('SHA-256', bytes)),
    integrity,
  ]).then(([module, digest, integrity]) => {
    if (`sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}` !== integrity) {
      throw Error(`portevoix: ${url} fails its integrity check`);
    }
    return module;
  });
};

// The glue is preloaded with its hash before it is imported: the preload puts the module
// in the page's module map (where the import finds it, checked) only if it matches, so a
// brand that pins this loader pins the glue too.
const importChecked = (href) => {
  document.head.append(
    Object.assign(document.createElement('link'), { rel: 'modulepreload', href, integrity: '__PV_GLUE_SRI__' }),
  );
  return import(href);
};

// The space a widget takes, held from the first frame so the page never shifts; a page
// whose theme makes widgets taller sets --pv-min-height on them.
const reserve = new CSSStyleSheet();
reserve.replaceSync(':host{display:block;min-height:var(--pv-min-height,21rem)}');

// Each widget's mount (and first draw), and the start of each request, in a task of its
// own, so that several coming together never hold the main thread in one long task. Each
// task comes after the one before it started, not after its work finished: a request that
// never ends (a stalled glue) holds nothing else back.
let mounting = Promise.resolve();
const inOwnTask = (work) => (mounting = mounting.then(() => new Promise((resolve) => setTimeout(resolve)))).then(work);

class PortevoixElement extends HTMLElement {
  static observedAttributes = ['site', 'lang', 'question', 'customer-token', 'product', 'product-name', 'url', 'text'];

  // Half a screen ahead, so that a scrolling visitor finds the widget already drawn.
  static #near = new IntersectionObserver(
    (entries) => {
      for (const { isIntersecting, target } of entries) {
        if (!isIntersecting) continue;
        PortevoixElement.#near.unobserve(target);
        target.#mount();
      }
    },
    { rootMargin: '50% 0px' },
  );

  // Private fields: the minifier shortens their names.
  #connections = 0;
  #tries = 0;
  #ready;
  #widget;

  constructor() {
    super();
    this.addEventListener('pv:ready', () => (this.#ready = true));
  }

  connectedCallback() {
    const root = this.shadowRoot || this.attachShadow({ mode: 'open' });
    if (!root.adoptedStyleSheets.length) root.adoptedStyleSheets = [reserve];
    this.#connections++;
    PortevoixElement.#near.observe(this);
  }

  #mount() {
    const root = this.shadowRoot;
    const connection = this.#connections;
    load(this.getAttribute('site')?.trim() || defaultSite)
      .catch((error) => {
        // A failed load (not a failed mount: that one's Wasm is running) is forgotten and
        // tried again after 2 and 4 s: a dropped or stalled request often goes through then.
        wasm = undefined;
        const tries = ++this.#tries;
        if (tries < 3) setTimeout(() => this.#mount(), 2e3 * tries);
        throw error;
      })
      .then((glue) =>
        inOwnTask(() => {
          if (this.isConnected && connection === this.#connections && !this.#widget) {
            this.#widget = glue.mount(this, root, base, defaultSite);
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
    PortevoixElement.#near.unobserve(this);
    this.#connections++;
    this.#ready = false;
    this.#widget?.unmount();
    this.#widget = undefined;
  }

  attributeChangedCallback() {
    this.#widget?.update();
  }

  /** Shows the widget, scrolls it into view and, once it is ready, focuses it. */
  async pvOpen() {
    this.hidden = false;
    const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.scrollIntoView({ block: 'center', behavior: still ? 'auto' : 'smooth' });
    if (!this.#ready) await new Promise((ready) => this.addEventListener('pv:ready', ready, { once: true }));
    this.#widget?.focus();
    return true;
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
  /** Shows a widget (element or selector), scrolls it into view and focuses it; false
   * when the target is not a widget. */
  async open(target) {
    const element = typeof target === 'string' ? document.querySelector(target) : target;
    return element?.pvOpen?.() || false;
  },
};

// A visit through a share link (WORKER/s/{code} lands here with pv_share) or a referral
// link (WORKER/r/{code}, pv_ref): report it with this browser's visitor id, the one the
// widgets use, so the worker can tell a friend from the sharer; keep a referral code for
// <pv-referral>'s friend offer; then take the marker out of the address bar.
const landed = new URL(location);
const marks = [
  ['pv_share', 'shares', /^[\da-f]{12}$/],
  ['pv_ref', 'referrals', /^[\da-f]{10}$/i],
];
for (const [param, route, shape] of marks) {
  const code = landed.searchParams.get(param);
  if (!defaultSite || !shape.test(code)) continue;
  // Made before storage is tried, so a browser that blocks storage still sends one.
  let visitor = crypto.getRandomValues(new Uint8Array(16)).join('-');
  try {
    const kept = localStorage.getItem('portevoix.visitor');
    /^[\w-]{8,128}$/.test(kept) ? (visitor = kept) : localStorage.setItem('portevoix.visitor', visitor);
    if (param === 'pv_ref') localStorage.setItem('portevoix.referral', JSON.stringify({ code: code.toUpperCase(), at: Date.now() }));
  } catch {}
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
