//! The widgets' stylesheet. Selectors cannot cross the shadow root, but inherited
//! properties can: `.card` sets every one that matters, so the host page's text styles
//! stop at the widget (the font is inherited only when the theme says `inherit`).
//! The site's theme sets `--pv-*-light`, `--pv-*-dark` and
//! `--pv-*-default` on `:host`; the host page may override `--pv-accent`, `--pv-on-accent`,
//! `--pv-text`, `--pv-background`, `--pv-font`, `--pv-radius` and `--pv-spacing` on the
//! element itself. Inner parts are exposed with `part=` names for `::part()`. Widths come
//! from SVG attributes, never `style=`, so a CSP without `'unsafe-inline'` holds.

/// Shared by every widget on the page through one constructed stylesheet.
pub const CSS: &str = r#"
:host{display:block;min-height:var(--pv-min-height,21rem)}
:host([hidden]){display:none}
.fill{display:flex;flex-direction:column;min-height:inherit}
.fill>.card{flex:1 0 auto}
.fill>.single{display:flex;flex-direction:column;justify-content:center;align-items:center;text-align:center}
.fill>.single .links{justify-content:center}
.fill>.single .thanks>:last-child{margin-bottom:0}
*,*::before,*::after{box-sizing:border-box}
.card{
--pv-a:var(--pv-accent,var(--pv-accent-light,#1f5f4a));
--pv-oa:var(--pv-on-accent,var(--pv-on-accent-light,#fff));
--pv-t:var(--pv-text,var(--pv-text-light,#1d2521));
--pv-bg:var(--pv-background,var(--pv-background-light,#fff));
--pv-r:var(--pv-radius,var(--pv-radius-default,12px));
--pv-s:var(--pv-spacing,var(--pv-spacing-default,1rem));
--pv-err:#b3261e;
color-scheme:light;
font:400 16px/1.45 var(--pv-font,var(--pv-font-default,inherit));letter-spacing:normal;word-spacing:normal;
text-align:start;text-indent:0;text-transform:none;text-shadow:none;white-space:normal;cursor:auto;visibility:visible;
color:var(--pv-t);background:var(--pv-bg);
border:1px solid color-mix(in srgb,var(--pv-t) 18%,transparent);
border-radius:var(--pv-r);padding:calc(var(--pv-s)*1.25);max-width:40rem}
.card[data-mode=dark]{
--pv-a:var(--pv-accent,var(--pv-accent-dark,#7cc4a4));
--pv-oa:var(--pv-on-accent,var(--pv-on-accent-dark,#0d1f18));
--pv-t:var(--pv-text,var(--pv-text-dark,#e8ece9));
--pv-bg:var(--pv-background,var(--pv-background-dark,#18201c));
--pv-err:#ffb4ab;color-scheme:dark}
legend.question{font-size:1.1em;font-weight:600;margin:0 0 calc(var(--pv-s)*.9);padding:0}
fieldset{border:0;margin:0;padding:0;min-width:0}
.scale{display:grid;grid-template-columns:repeat(11,minmax(0,1fr));gap:calc(var(--pv-s)*.3)}
@media (width<=30rem){.scale{grid-template-columns:repeat(6,minmax(0,1fr))}}
.score{position:relative;display:block}
.score input{position:absolute;inset:0;width:100%;height:100%;margin:0;opacity:0;cursor:pointer}
.score span{display:flex;align-items:center;justify-content:center;min-height:2.75rem;
border:1px solid color-mix(in srgb,var(--pv-t) 45%,transparent);border-radius:calc(var(--pv-r)/2);
font-weight:600;font-variant-numeric:tabular-nums;background:var(--pv-bg);color:var(--pv-t)}
.score input:hover+span{border-color:var(--pv-a)}
.score input:checked+span{background:var(--pv-a);border-color:var(--pv-a);color:var(--pv-oa)}
.score input:focus-visible+span,button:focus-visible,textarea:focus-visible,a:focus-visible{
outline:3px solid var(--pv-a);outline-offset:2px}
.ends{display:flex;justify-content:space-between;gap:var(--pv-s);font-size:.85em;margin-top:calc(var(--pv-s)*.4)}
.comment{margin-top:var(--pv-s)}
label.prompt{display:block;font-weight:600;margin-bottom:calc(var(--pv-s)*.35)}
.hint{font-weight:400}
textarea{display:block;width:100%;min-height:5rem;font:inherit;color:var(--pv-t);background:var(--pv-bg);
border:1px solid color-mix(in srgb,var(--pv-t) 45%,transparent);border-radius:calc(var(--pv-r)/2);
padding:calc(var(--pv-s)*.6);resize:vertical}
textarea[aria-invalid=true]{border-color:var(--pv-err)}
.count{font-size:.8em;margin:calc(var(--pv-s)*.25) 0 0}
.count.over{font-weight:600}
.actions{display:flex;gap:calc(var(--pv-s)*.75);align-items:center;margin-top:var(--pv-s);flex-wrap:wrap}
button{font:inherit;font-weight:600;line-height:1.25;min-height:2.75rem;padding:calc(var(--pv-s)*.4) calc(var(--pv-s)*1.4);border-radius:calc(var(--pv-r)/2);
border:1px solid var(--pv-a);background:var(--pv-a);color:var(--pv-oa);cursor:pointer}
button:disabled{opacity:.55;cursor:not-allowed}
.alert{margin:calc(var(--pv-s)*.75) 0 0;padding:calc(var(--pv-s)*.6) calc(var(--pv-s)*.8);border-radius:calc(var(--pv-r)/2);
border:1px solid var(--pv-err)}
.thanks h2{font-size:1.2em;margin:0 0 calc(var(--pv-s)*.5)}
.thanks h2:focus,.heading:focus{outline:none}
.thanks p{margin:0 0 calc(var(--pv-s)*.75)}
.links{display:flex;gap:calc(var(--pv-s)*.6);flex-wrap:wrap;margin:0;padding:0;list-style:none}
.links a{display:inline-flex;align-items:center;min-height:2.75rem;padding:0 var(--pv-s);border-radius:calc(var(--pv-r)/2);
border:1px solid var(--pv-a);color:var(--pv-t);text-decoration:none;font-weight:600}
.links a:hover{background:var(--pv-a);color:var(--pv-oa)}
.credit{font-size:.75em;margin:var(--pv-s) 0 0}
.loading{min-height:15rem}
.human-check{margin-top:var(--pv-s)}
.human-check:empty{display:none}
.heading{font-size:1.25em;margin:0 0 calc(var(--pv-s)*.75)}
.summary{display:grid;grid-template-columns:minmax(8rem,auto) 1fr;gap:var(--pv-s);align-items:center}
.average{margin:0;display:flex;flex-direction:column;gap:.2em}
.average-value{font-size:2.2em;font-weight:700;line-height:1}
.stars .on{color:var(--pv-a)}
.stars .off{color:color-mix(in srgb,var(--pv-t) 30%,transparent)}
.histogram{list-style:none;margin:0;padding:0;display:grid;gap:.25em}
.bar-row{position:relative;display:grid;grid-template-columns:2.5em 1fr 2.5em;gap:.5em;align-items:center;font-size:.9em;
width:100%;min-height:1.75rem;padding:0 .35em;font-weight:400;text-align:start;color:var(--pv-t);background:transparent;border-color:transparent}
.bar-row:hover:not(:disabled),.bar-row[aria-pressed=true]{border-color:var(--pv-a)}
.bar-row[aria-pressed=true]{font-weight:700}
.spoken{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.filter{display:flex;gap:.5em;align-items:center;flex-wrap:wrap;margin:var(--pv-s) 0 0}
.filter p{margin:0}
.bar{width:100%;height:.5em;display:block}
.bar .track{fill:color-mix(in srgb,var(--pv-t) 12%,transparent)}
.bar .fill{fill:var(--pv-a)}
.bar-count{text-align:end;font-variant-numeric:tabular-nums}
.none{margin:0}
.toolbar{display:flex;gap:.5em;align-items:center;margin:var(--pv-s) 0 0;flex-wrap:wrap}
select,input[type=text],input[type=email]{font:inherit;color:var(--pv-t);background:var(--pv-bg);
border:1px solid color-mix(in srgb,var(--pv-t) 45%,transparent);border-radius:calc(var(--pv-r)/2);min-height:2.75rem;padding:0 calc(var(--pv-s)*.6)}
input[type=text],input[type=email]{width:100%;display:block}
input:focus-visible,select:focus-visible{outline:3px solid var(--pv-a);outline-offset:2px}
input[aria-invalid=true]{border-color:var(--pv-err)}
.list{list-style:none;margin:var(--pv-s) 0 0;padding:0}
.list.stale{opacity:.75;transition:opacity .2s .3s}
.review{border-top:1px solid color-mix(in srgb,var(--pv-t) 15%,transparent);padding:var(--pv-s) 0}
.review .rating{margin:0}
.review .title{font-size:1.05em;margin:.25em 0}
.meta{font-size:.85em;margin:0 0 .5em}
.verified{font-weight:600;border:1px solid var(--pv-a);border-radius:1em;padding:0 .6em;margin-inline-start:.5em;white-space:nowrap}
.review .text{margin:0 0 .5em;white-space:pre-line;overflow-wrap:anywhere}
.reply{margin:.5em 0;padding:.5em .8em;border-inline-start:3px solid var(--pv-a);background:color-mix(in srgb,var(--pv-t) 5%,var(--pv-bg))}
.reply p{margin:0}
.reply-from{font-weight:600}
button.secondary{background:transparent;color:var(--pv-t);border-color:color-mix(in srgb,var(--pv-t) 45%,transparent)}
button.helpful{min-height:2.25rem;font-size:.85em;font-weight:400}
button.helpful[aria-pressed=true]{border-color:var(--pv-a);opacity:1}
.writer{margin-top:var(--pv-s)}
.review-form{padding:var(--pv-s);border:1px solid color-mix(in srgb,var(--pv-t) 15%,transparent);border-radius:calc(var(--pv-r)/2)}
.review-form .field,.qa-form .field,.join .field,.invite .field{margin-top:calc(var(--pv-s)*.75)}
.review-form label{display:block;font-weight:600;margin-bottom:.25em}
.consent{display:grid;grid-template-columns:auto 1fr;gap:.5em;align-items:start}
.review-form .consent label{font-weight:400;margin:0}
.consent input{width:1.25rem;height:1.25rem;margin:.15em 0 0}
.consent .problem{grid-column:1/-1}
.problem{color:var(--pv-err);font-size:.85em;margin:.25em 0 0;font-weight:600}
.stars-input{display:flex;gap:.25em;flex-wrap:wrap}
.stars-input legend{font-weight:600;margin-bottom:.25em;padding:0}
.star{position:relative;display:block}
.star input{position:absolute;inset:0;width:100%;height:100%;margin:0;opacity:0;cursor:pointer}
.star span{display:flex;align-items:center;justify-content:center;width:2.75rem;height:2.75rem;font-size:1.6em;
color:color-mix(in srgb,var(--pv-t) 35%,transparent)}
.stars-input:has(.star:nth-of-type(1) input:checked) .star:nth-of-type(-n+1) span,.stars-input:has(.star:nth-of-type(2) input:checked) .star:nth-of-type(-n+2) span,.stars-input:has(.star:nth-of-type(3) input:checked) .star:nth-of-type(-n+3) span,.stars-input:has(.star:nth-of-type(4) input:checked) .star:nth-of-type(-n+4) span,.stars-input:has(.star:nth-of-type(5) input:checked) .star:nth-of-type(-n+5) span{color:var(--pv-a)}
.star input:focus-visible+span{outline:3px solid var(--pv-a);outline-offset:2px;border-radius:4px}
.hub{margin-top:var(--pv-s)}
.thanks h3{font-size:1.1em;margin:0 0 calc(var(--pv-s)*.5)}
.thanks h3:focus{outline:none}
.search{margin:0 0 var(--pv-s)}
.search label{display:block;font-weight:600;margin-bottom:.25em}
input[type=search]{font:inherit;color:var(--pv-t);background:var(--pv-bg);width:100%;display:block;
border:1px solid color-mix(in srgb,var(--pv-t) 45%,transparent);border-radius:calc(var(--pv-r)/2);min-height:2.75rem;padding:0 calc(var(--pv-s)*.6)}
article.question{border-top:1px solid color-mix(in srgb,var(--pv-t) 15%,transparent);padding:var(--pv-s) 0 calc(var(--pv-s)*.5)}
.question-text{font-size:1.05em;margin:0 0 .25em;overflow-wrap:anywhere}
.answers{list-style:none;margin:.5em 0 0;padding:0 0 0 calc(var(--pv-s)*.9);border-inline-start:3px solid color-mix(in srgb,var(--pv-t) 15%,transparent)}
.answer{margin:0 0 calc(var(--pv-s)*.75)}
mark{color:inherit;background:color-mix(in srgb,var(--pv-a) 25%,transparent);border-radius:2px}
.answer .text{margin:0 0 .25em;white-space:pre-line;overflow-wrap:anywhere}
.badge{font-weight:600;border:1px solid var(--pv-a);border-radius:1em;padding:0 .6em;margin-inline-start:.5em;white-space:nowrap}
.answer[data-badge=brand] .badge{background:var(--pv-a);color:var(--pv-oa)}
.no-answer{font-style:italic;margin:.25em 0}
.answer-button{margin:0 0 var(--pv-s)}
.qa-form{margin:0 0 var(--pv-s)}
.qa-form label{display:block;font-weight:600;margin-bottom:.25em}
.qa-form .consent label{font-weight:400;margin:0}
.offer{margin:0 0 var(--pv-s);font-weight:600}
.share-options{margin-top:var(--pv-s)}
.link-row label{display:block;font-weight:600;margin-bottom:.25em}
.link-line{display:flex;gap:calc(var(--pv-s)*.5);flex-wrap:wrap}
.link-line input{flex:1 1 14rem;width:auto}
.copied{min-height:1.45em;margin:.25em 0 0;font-size:.9em}
.channels-label{margin:calc(var(--pv-s)*.5) 0 .35em;font-weight:600}
.points{margin-top:var(--pv-s);border-top:1px solid color-mix(in srgb,var(--pv-t) 15%,transparent);padding-top:calc(var(--pv-s)*.75)}
.balance{margin:0 0 .35em;font-weight:700;font-size:1.1em}
details summary{cursor:pointer;min-height:2rem}
.history{margin:.5em 0 0;padding-inline-start:1.25em;font-size:.9em}
.entry-points{font-variant-numeric:tabular-nums;font-weight:600}
.friend-offer{margin:0 0 var(--pv-s);padding:calc(var(--pv-s)*.6) calc(var(--pv-s)*.8);border-radius:calc(var(--pv-r)/2);border:2px solid var(--pv-a);font-weight:600}
.referral-card .code{font-weight:700;font-variant-numeric:tabular-nums;letter-spacing:.05em}
.code-line{display:flex;align-items:center;gap:.5em;flex-wrap:wrap;margin:var(--pv-s) 0 0}
.invite{margin-top:calc(var(--pv-s)*.5)}
.invite label,.join label{display:block;font-weight:600;margin-bottom:.25em}
.join .consent label{font-weight:400;margin:0}
.stats{margin:var(--pv-s) 0 0;font-size:.9em}
.notice{margin:.5em 0 0;font-weight:600}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
@media (prefers-reduced-motion:no-preference){.score span,button,.links a{transition:background-color .15s,color .15s,border-color .15s}}
"#;
