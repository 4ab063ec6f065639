// Portevoix loader: defines the pv-* custom elements at once and loads the widgets'
// WebAssembly only when the first element is connected. Served by the worker as
// /portevoix.js; the build fills in the hashed module names.
const base = new URL('.', import.meta.url).href;
const script = [...document.querySelectorAll('script[data-site]')].find((s) => s.src === import.meta.url);
const defaultSite = script ? script.dataset.site : '';
let wasm;
const load = () =>
  (wasm ||= import(base + '__PV_GLUE__').then(async (glue) => {
    await glue.default({ module_or_path: base + '__PV_WASM__' });
    return glue;
  }));

class PortevoixElement extends HTMLElement {
  static observedAttributes = ['site', 'lang', 'question', 'customer-token'];

  connectedCallback() {
    const root = this.shadowRoot || this.attachShadow({ mode: 'open' });
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
    this.pvWidget?.unmount();
    this.pvWidget?.free();
    this.pvWidget = undefined;
  }

  attributeChangedCallback() {
    this.pvWidget?.update();
  }
}

for (const name of ['pv-nps']) {
  if (!customElements.get(name)) customElements.define(name, class extends PortevoixElement {});
}
