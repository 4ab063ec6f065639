// Table exports on workerd and D1: 100,000 stored answers come out whole as CSV, streamed
// in chunks (the worker reads and sends a page at a time, never the whole table), and as
// JSON; exports need the admin token.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { d1Query } from '../scripts/sites.mjs';
import { startStack } from './support.mjs';

const ROWS = 100_000;
let stack;

before(async () => {
  // Seeded in bulk before the worker opens the database.
  stack = await startStack({
    beforeWorker: (database) =>
      d1Query(
        `INSERT INTO nps_answers (id, site_id, idempotency_key, visitor_id, score, category, comment, created_at)
         WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${ROWS})
         SELECT printf('%032x', n), 'cairn', 'export-' || n, 'visitor-export-' || n, n % 11, 'passive',
           CASE WHEN n % 1000 = 0 THEN 'Commentaire, avec "guillemets"' ELSE NULL END, 1764460800000 + n FROM seq`,
        database,
      ),
  });
});
after(async () => {
  await stack?.stop();
});

const exportUrl = (file) => `${stack.api}/exports/${file}`;
const auth = () => ({ authorization: `Bearer ${stack.adminToken}` });

describe('exports', () => {
  test(`a CSV of ${ROWS.toLocaleString('en')} answers arrives whole, in chunks`, async () => {
    const response = await fetch(exportUrl('nps_answers.csv'), { headers: auth() });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(response.headers.get('content-disposition'), 'attachment; filename="cairn-nps_answers.csv"');
    assert.equal(response.headers.get('content-length'), null, 'streamed, not sized up front');
    let lines = 0;
    let chunks = 0;
    let largestChunk = 0;
    // A chunk may end between a line's \r and its \n: that \r is carried to the next one.
    let carried = '';
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      chunks++;
      largestChunk = Math.max(largestChunk, chunk.length);
      const text = carried + decoder.decode(chunk, { stream: true });
      lines += (text.match(/\r\n/g) || []).length;
      carried = text.endsWith('\r') ? '\r' : '';
    }
    assert.equal(lines, ROWS + 1, 'a header and every row');
    assert.ok(chunks >= ROWS / 1_000, `${chunks} chunks`);
    assert.ok(largestChunk < 1_000_000, `no chunk holds the whole table (${largestChunk} bytes)`);
  });

  test('a JSON export is one array of every row', async () => {
    const response = await fetch(exportUrl('nps_answers.json'), { headers: auth() });
    assert.equal(response.status, 200);
    const rows = await response.json();
    assert.equal(rows.length, ROWS);
    assert.equal(rows[999].comment, 'Commentaire, avec "guillemets"');
  });

  test('exports refuse a missing or wrong token and unknown tables', async () => {
    assert.equal((await fetch(exportUrl('nps_answers.csv'))).status, 401);
    assert.equal((await fetch(exportUrl('nps_answers.csv'), { headers: { authorization: 'Bearer nope' } })).status, 401);
    for (const file of ['sites.csv', 'nps_days.json', 'nps_answers.xlsx']) {
      assert.equal((await fetch(exportUrl(file), { headers: auth() })).status, 404, file);
    }
    // The demo sites share one admin token; a console session is bound to its site.
    const signIn = await fetch(`${stack.api}/console/session`, {
      method: 'POST',
      headers: { origin: stack.worker.origin, 'content-type': 'application/json' },
      body: JSON.stringify({ token: stack.adminToken }),
    });
    const cookie = signIn.headers.get('set-cookie').split(';')[0];
    assert.equal((await fetch(exportUrl('nps_answers.csv'), { headers: { cookie } })).status, 200);
    const otherSite = await fetch(`${stack.worker.origin}/v1/sites/cairn-nuit/exports/nps_answers.csv`, { headers: { cookie } });
    assert.equal(otherSite.status, 401, "a site's session opens only its own exports");
  });
});
