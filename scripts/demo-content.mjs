// The demo's content: the reviews and questions of demo-site/content.json, stored through
// the worker's own routes (a visitor's write, then the brand's publication, reply or
// answer), each once: a write sent again under its key stores nothing, and only a write
// stored just now is published, so what the marketer changed in the console stays changed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { root } from './lib.mjs';

/**
 * Stores the demo's content in the worker at `workerOrigin` (its site allowing
 * `demoOrigin`), and answers how many reviews and questions it stored now (none when an
 * earlier run stored them).
 */
export async function storeDemoContent({ workerOrigin, demoOrigin, adminToken }) {
  const content = JSON.parse(await readFile(join(root, 'demo-site', 'content.json'), 'utf8'));
  const api = `${workerOrigin}/v1/sites/${content.site}`;
  const call = async (path, body, headers) => {
    const response = await fetch(`${api}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return { created: response.status === 201, ...JSON.parse(text) };
  };
  const asVisitor = (path, key, fields) =>
    call(path, { ...fields, visitor_id: `demo-visitor-${key}`, idempotency_key: `demo-${key}`, elapsed_ms: 30_000 }, { origin: demoOrigin });
  const asBrand = (path, body) => call(path, body, { authorization: `Bearer ${adminToken}` });

  const stored = { reviews: 0, questions: 0 };
  for (const { key, reply, ...review } of content.reviews) {
    const { created, id } = await asVisitor(`/products/${content.product}/reviews`, key, review);
    if (!created) continue;
    await asBrand(`/reviews/${id}/moderation`, { decision: 'publish' });
    if (reply) await asBrand(`/reviews/${id}/reply`, { text: reply });
    stored.reviews++;
  }
  for (const { key, answer, ...question } of content.questions) {
    const { created, id } = await asVisitor(`/products/${content.product}/questions`, key, question);
    if (!created) continue;
    await asBrand(`/questions/${id}/moderation`, { decision: 'publish' });
    if (answer) await asBrand(`/questions/${id}/answers`, { text: answer, idempotency_key: `demo-${key}-answer` });
    stored.questions++;
  }
  return stored;
}
