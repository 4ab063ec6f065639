// The host page listening to the widgets' events, as a brand's analytics would.
const log = document.getElementById('event-log');
for (const type of ['pv:ready', 'pv:submit', 'pv:error']) {
  document.addEventListener(type, (event) => {
    const item = document.createElement('li');
    item.textContent = `${type} ${JSON.stringify(event.detail)}`;
    log.append(item);
  });
}
