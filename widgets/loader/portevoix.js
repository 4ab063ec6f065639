// Portevoix loader: defines the pv-* custom elements at once, reserves their space, and
// loads the widgets' WebAssembly (one instance for the whole page) only when the first
// element is connected. Served by the worker as /portevoix.js; the build fills in the
// hashed module names. Also the page's small JS API: window.Portevoix.
const TAGS = ['pv-nps', 'pv-review', 'pv-qa'];
const base = new URL('.', import.meta.url).href;
const script = [...document.querySelectorAll('script[data-site]')].find((s) => s.src === import.meta.url);
const defaultSite = script ? script.dataset.site : '';
let wasm;
const load = () =>
  (wasm ||= import(base + '__PV_GLUE__').then(async (glue) => {
    // Fetched with its integrity hash: a brand that pins this loader with SRI pins the
    // Wasm too.
    await glue.default({ module_or_path: fetch(base + '__PV_WASM__', { integrity: '__PV_WASM_SRI__' }) });
    return glue;
  }));

// The space a widget takes, held from the first frame so the page never shifts; a page
// whose theme makes widgets taller sets --pv-min-height on them.
const reserve = new CSSStyleSheet();
reserve.replaceSync(':host{display:block;min-height:var(--pv-min-height,18rem)}');

class PortevoixElement extends HTMLElement {
  static observedAttributes = ['site', 'lang', 'question', 'customer-token', 'product', 'product-name'];

  constructor() {
    super();
    this.addEventListener('pv:ready', () => (this.pvReady = true));
  }

  connectedCallback() {
    const root = this.shadowRoot || this.attachShadow({ mode: 'open' });
    if (!root.adoptedStyleSheets.length) root.adoptedStyleSheets = [reserve];
    const generation = (this.pvGeneration = (this.pvGeneration || 0) + 1);
    load()
      .then((glue) => {
        if (this.isConnected && generation === this.pvGeneration && !this.pvWidget) {
          this.pvWidget = glue.mount(this, root, base, defaultSite);
        }
      })
      .catch((error) => {
        wasm = undefined;
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
