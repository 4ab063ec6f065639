//! The widgets' stylesheet. Colours, font and radius come from CSS custom properties: the
//! site's theme sets the `--pv-*-default` values on `:host`, and the host page may override
//! any `--pv-*` property on the element itself. Parts are exposed with `part=` names.

/// Shared by every widget on the page through one constructed stylesheet.
pub const CSS: &str = r#"
:host{all:initial;display:block;box-sizing:border-box;
--pv-a:var(--pv-accent,var(--pv-accent-default,#1f5f4a));
--pv-oa:var(--pv-on-accent,var(--pv-on-accent-default,#fff));
--pv-t:var(--pv-text,var(--pv-text-default,#1d2521));
--pv-bg:var(--pv-background,var(--pv-background-default,#fff));
--pv-r:var(--pv-radius,var(--pv-radius-default,12px));
font-family:var(--pv-font,var(--pv-font-default,inherit));
font-size:16px;line-height:1.45;color:var(--pv-t);min-height:12rem}
:host([hidden]){display:none}
*,*::before,*::after{box-sizing:inherit}
.card{background:var(--pv-bg);border:1px solid color-mix(in srgb,var(--pv-t) 18%,transparent);
border-radius:var(--pv-r);padding:1.25rem;max-width:40rem}
.question{font-size:1.1rem;font-weight:600;margin:0 0 .9rem;padding:0}
fieldset{border:0;margin:0;padding:0;min-width:0}
.scale{display:grid;grid-template-columns:repeat(11,minmax(0,1fr));gap:.3rem}
.score{position:relative;display:block}
.score input{position:absolute;inset:0;width:100%;height:100%;margin:0;opacity:0;cursor:pointer}
.score span{display:flex;align-items:center;justify-content:center;min-height:2.75rem;
border:1px solid color-mix(in srgb,var(--pv-t) 35%,transparent);border-radius:calc(var(--pv-r)/2);
font-weight:600;font-variant-numeric:tabular-nums;background:var(--pv-bg);color:var(--pv-t)}
.score input:hover+span{border-color:var(--pv-a)}
.score input:checked+span{background:var(--pv-a);border-color:var(--pv-a);color:var(--pv-oa)}
.score input:focus-visible+span,button:focus-visible,textarea:focus-visible,a:focus-visible{
outline:3px solid var(--pv-a);outline-offset:2px}
.ends{display:flex;justify-content:space-between;font-size:.85rem;margin-top:.4rem;opacity:.8}
.comment{margin-top:1rem}
label.prompt{display:block;font-weight:600;margin-bottom:.35rem}
.hint{font-weight:400;opacity:.8}
textarea{width:100%;min-height:5rem;font:inherit;color:var(--pv-t);background:var(--pv-bg);
border:1px solid color-mix(in srgb,var(--pv-t) 35%,transparent);border-radius:calc(var(--pv-r)/2);padding:.6rem;resize:vertical}
textarea[aria-invalid=true]{border-color:#b3261e}
.count{font-size:.8rem;opacity:.8;margin:.25rem 0 0}
.actions{display:flex;gap:.75rem;align-items:center;margin-top:1rem;flex-wrap:wrap}
button{font:inherit;font-weight:600;min-height:2.75rem;padding:0 1.4rem;border-radius:calc(var(--pv-r)/2);
border:1px solid var(--pv-a);background:var(--pv-a);color:var(--pv-oa);cursor:pointer}
button:disabled{opacity:.5;cursor:not-allowed}
.alert{margin:.75rem 0 0;padding:.6rem .8rem;border-radius:calc(var(--pv-r)/2);
background:color-mix(in srgb,#b3261e 10%,var(--pv-bg));border:1px solid #b3261e}
.thanks h2{font-size:1.2rem;margin:0 0 .5rem}
.thanks h2:focus{outline:none}
.thanks p{margin:0 0 .75rem}
.links{display:flex;gap:.6rem;flex-wrap:wrap;margin:0;padding:0;list-style:none}
.links a{display:inline-flex;align-items:center;min-height:2.75rem;padding:0 1rem;border-radius:calc(var(--pv-r)/2);
border:1px solid var(--pv-a);color:var(--pv-a);text-decoration:none;font-weight:600}
.links a:hover{background:var(--pv-a);color:var(--pv-oa)}
.loading{min-height:10rem}
@media (prefers-reduced-motion:no-preference){.score span,button,.links a{transition:background-color .15s,color .15s,border-color .15s}}
"#;
