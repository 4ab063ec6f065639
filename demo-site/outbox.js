// Shows the mail the worker recorded for the demo site, as the brand's sending service
// would pick it up. Every text is set as text, never as HTML.
const list = document.getElementById('outbox');
const status = document.getElementById('outbox-status');
const response = await fetch('/demo/outbox', { cache: 'no-store' });
const { mails = [], error } = await response.json().catch(() => ({ error: 'unreadable answer' }));
status.textContent = error ? `Indisponible : ${error}` : `${mails.length} e-mail(s) en attente d’envoi.`;
for (const mail of mails) {
  const item = document.createElement('li');
  const heading = document.createElement('p');
  heading.className = 'outbox-heading';
  heading.textContent = `À ${mail.recipient} — ${mail.subject ?? mail.template}`;
  const body = document.createElement('pre');
  body.textContent = mail.body ?? '';
  item.append(heading, body);
  list.append(item);
}
