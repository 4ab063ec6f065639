// The host page's own dark-mode switch: it flips data-theme on <html>, and widgets whose
// site theme is in "auto" mode follow it.
const button = document.getElementById('theme-switch');
button.addEventListener('click', () => {
  const dark = document.documentElement.dataset.theme !== 'dark';
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  button.setAttribute('aria-pressed', String(dark));
});
