// The host page listening to the widgets' events, as a brand's analytics would.
const log = document.getElementById('event-log');
for (const type of ['pv:ready', 'pv:submit', 'pv:error', 'pv:visit']) {
  document.addEventListener(type, (event) => {
    const item = document.createElement('li');
    item.textContent = `${type} ${JSON.stringify(event.detail)}`;
    log.append(item);
  });
}

// "Sign in": the demo server plays the brand's server and hands out a signed customer
// token for Camille, who bought this tent; every widget on the page then knows her.
const signIn = document.getElementById('sign-in');
signIn?.addEventListener('click', async () => {
  const response = await fetch('/demo/customer-token', { cache: 'no-store' });
  if (!response.ok) return;
  const { token } = await response.json();
  window.Portevoix?.setCustomerToken(token);
  signIn.textContent = 'Connectée : Camille';
  signIn.disabled = true;
});
