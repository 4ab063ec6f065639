// <pv-qa> in headless Chromium on the demo product page: a prospect searches, then asks
// by keyboard; the brand publishes; a customer signed in through the demo's brand server
// answers from a second browser context; badges show, and answers reorder by helpfulness
// after a vote and a reload; the page carries the Question JSON-LD; axe finds nothing.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { accessibilityViolations, openPage, startStackAndBrowser, waitForEvent } from './browser.mjs';
import { newId } from './support.mjs';

let stack;
let browser;
const opened = [];

before(async () => {
  [stack, browser] = await startStackAndBrowser();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});
afterEach(async () => {
  const problems = opened.flatMap((visitor) => visitor.problems(visitor.allowed));
  await Promise.all(opened.splice(0).map((visitor) => visitor.context.close()));
  assert.deepEqual(problems, [], 'a page logged errors');
});

/** A published question about the demo tent, asked through the API by another prospect. */
async function publishedQuestion(text) {
  const response = await fetch(`${stack.api}/products/bivouac-2/questions`, {
    method: 'POST',
    headers: { origin: stack.demoOrigin, 'content-type': 'application/json' },
    body: JSON.stringify({ text, author_name: 'Lou', visitor_id: newId(), idempotency_key: newId(), elapsed_ms: 9000 }),
  });
  assert.equal(response.status, 201);
  const { id } = await response.json();
  await stack.admin(`/questions/${id}/moderation`, { method: 'POST', body: { decision: 'publish' } });
  return id;
}

async function visit(options = {}) {
  const visitor = await openPage(browser, options);
  opened.push(visitor);
  await visitor.page.goto(`${stack.demoOrigin}/`);
  await qaReady(visitor.page);
  return visitor.page;
}

const qaReady = async (page) => {
  await page.locator('pv-qa').scrollIntoViewIfNeeded();
  await waitForEvent(page, 'pv:ready {"widget":"qa"');
};

const visibleQuestions = (page) =>
  page.locator('pv-qa').locator('article.question').evaluateAll((articles) => articles.map((article) => article.querySelector('h3').textContent));

/** Replaces the search with `text` and waits for the list to show the one question `shown`. */
async function searchShows(page, text, shown) {
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
  await page.waitForFunction(() => document.querySelector('pv-qa').shadowRoot.querySelectorAll('article.question').length === 1);
  assert.deepEqual(await visibleQuestions(page), [shown]);
}

describe('<pv-qa> on the demo product page', () => {
  test('search narrows the list; a question asked by keyboard is answered by a customer and reordered by helpfulness', async () => {
    await publishedQuestion('Reste-t-elle sèche sous un gros orage ?');
    await publishedQuestion('Le tapis de sol est-il inclus ?');
    await publishedQuestion('Подходит ли она ЗИМОЙ ?');
    const prospect = await visit();
    const qa = prospect.locator('pv-qa');
    assert.equal((await visibleQuestions(prospect)).length, 3);

    // The search narrows the list on the page as the visitor types, before the worker is
    // asked: its searches are held back here. Any script and case will do.
    const held = [];
    const searches = /\/questions\?(.*&)?q=/;
    await prospect.route(searches, (route) => held.push(route));
    await qa.getByLabel('Rechercher dans les questions').focus();
    await searchShows(prospect, 'зимой', 'Подходит ли она ЗИМОЙ ?');
    const markedWords = () => qa.locator('article.question mark').allTextContents();
    assert.deepEqual(await markedWords(), ['ЗИМОЙ'], 'the word found is marked as written');
    const found = qa.locator('.search [role="status"]');
    assert.equal(await found.textContent(), '', 'nothing said before the worker answers');
    await searchShows(prospect, 'SÈCHE', 'Reste-t-elle sèche sous un gros orage ?');
    assert.deepEqual(await markedWords(), ['sèche']);
    // A word finds the words it starts, not those it sits in ("rage" is in "orage").
    await searchShows(prospect, 'tapi', 'Le tapis de sol est-il inclus ?');
    assert.deepEqual(await markedWords(), ['tapi']);
    await prospect.keyboard.press('Control+A');
    await prospect.keyboard.type('rage');
    await prospect.waitForFunction(() => document.querySelector('pv-qa').shadowRoot.querySelectorAll('article.question').length === 0);
    await prospect.unroute(searches);
    await Promise.all(held.map((route) => route.continue()));

    await searchShows(prospect, 'orage', 'Reste-t-elle sèche sous un gros orage ?');
    // Accents need not be typed.
    await searchShows(prospect, 'seche', 'Reste-t-elle sèche sous un gros orage ?');
    // Once the worker has answered, a screen reader hears how many questions match, from a
    // status region there from the start; nothing when none does (the notice says so).
    await found.getByText('1 question affichée correspond à votre recherche.').waitFor();
    await prospect.keyboard.press('Control+A');
    await prospect.keyboard.type('vent fort');
    await qa.getByText('Aucune question ne correspond : posez la vôtre.').waitFor();
    assert.equal(await found.textContent(), '');

    // Nothing matches: ask it, keyboard only. The search starts the question.
    await qa.getByRole('button', { name: 'Poser une question' }).focus();
    await prospect.keyboard.press('Enter');
    // Focus moves to the question once the form is drawn: keys sent before land nowhere.
    await prospect.waitForFunction(() => document.querySelector('pv-qa').shadowRoot.activeElement?.id === 'pv-qa-text');
    const question = `${'vent fort'} : tient-elle en crête à 80 km/h ? (${newId().slice(0, 8)})`;
    await prospect.keyboard.press('Control+A');
    await prospect.keyboard.type(question);
    await prospect.keyboard.press('Tab');
    await prospect.keyboard.type('Alex');
    await prospect.keyboard.press('Tab'); // email, left empty
    await prospect.keyboard.press('Tab'); // consent, left unticked
    await prospect.keyboard.press('Tab');
    await prospect.waitForTimeout(2_100); // people take seconds to write
    await prospect.keyboard.press('Enter');
    await qa.getByRole('heading', { name: 'Merci ! Votre question apparaîtra après vérification.' }).waitFor();

    const pending = await stack.admin('/questions?status=pending');
    const asked = pending.body.questions.find((listed) => listed.text === question);
    assert.ok(asked, 'the question waits for moderation');
    await stack.admin(`/questions/${asked.id}/moderation`, { method: 'POST', body: { decision: 'publish' } });
    const brand = await stack.admin(`/questions/${asked.id}/answers`, {
      method: 'POST',
      body: { text: 'Oui : arceaux DAC et haubans renforcés.', idempotency_key: newId() },
    });
    assert.equal(brand.status, 201);

    // A customer, signed in by the brand's server, answers from another browser.
    const customer = await visit();
    const customerQa = customer.locator('pv-qa');
    assert.equal(await customerQa.locator(`article[data-id="${asked.id}"]`).count(), 1);
    assert.equal(await customerQa.locator('.answer-button').count(), 0, 'visitors cannot answer on this site');
    await customer.getByRole('button', { name: 'Se connecter (cliente de démo)' }).click();
    const answerButton = customerQa.locator('li', { has: customer.locator(`article[data-id="${asked.id}"]`) }).getByRole('button', { name: 'Répondre' });
    await answerButton.click();
    await customer.waitForFunction(() => document.querySelector('pv-qa').shadowRoot.activeElement?.id === 'pv-qa-text');
    await customer.keyboard.type('Testée au col du Galibier par 90 km/h : aucun souci.');
    await customer.keyboard.press('Tab');
    await customer.keyboard.type('Camille');
    await customer.waitForTimeout(2_100);
    await customerQa.getByRole('button', { name: 'Envoyer ma réponse' }).click();
    await customerQa.getByRole('heading', { name: 'Merci ! Votre réponse est publiée.' }).waitFor();

    await prospect.reload();
    await qaReady(prospect);
    const article = qa.locator(`article[data-id="${asked.id}"]`);
    await article.locator('.answer').nth(1).waitFor();
    const badges = () => article.locator('.answer').evaluateAll((answers) => answers.map((answer) => answer.querySelector('.badge').textContent));
    assert.deepEqual(await badges(), ['Réponse de Cairn', 'Client ayant acheté ce produit'], 'equal votes: oldest first');
    await article.locator('.answer[data-badge="verified_buyer"]').getByRole('button', { name: 'Utile (0)' }).click();
    await article.locator('.answer[data-badge="verified_buyer"]').getByRole('button', { name: 'Utile (1)' }).waitFor();
    await prospect.reload();
    await qaReady(prospect);
    await article.locator('.answer').nth(1).waitFor();
    assert.deepEqual(await badges(), ['Client ayant acheté ce produit', 'Réponse de Cairn'], 'most helpful first');

    const jsonLd = await prospect.evaluate(() =>
      [...document.querySelectorAll('script[type="application/ld+json"][data-portevoix-qa-jsonld="bivouac-2"]')].map((script) => JSON.parse(script.textContent)),
    );
    assert.equal(jsonLd.length, 1);
    const marked = jsonLd[0]['@graph'].find((entry) => entry.text === question);
    assert.equal(marked['@type'], 'Question');
    assert.equal(marked.answerCount, 2);
    assert.equal(marked.suggestedAnswer[0].upvoteCount, 1);
  });

  test('an earlier search answered late does not replace the list of the later one', async () => {
    const [first, second] = [`mât${newId().slice(0, 6)}`, `piquet${newId().slice(0, 6)}`];
    await publishedQuestion(`Le ${first} est-il en aluminium ?`);
    await publishedQuestion(`Combien de ${second} sont fournis ?`);
    const page = await visit();
    const qa = page.locator('pv-qa');
    // The first search's answer is held until the second search's has come.
    const firstSearch = new RegExp(`/questions\\?(.*&)?q=${encodeURIComponent(first)}`);
    const held = new Promise((resolve) => page.route(firstSearch, resolve));
    await qa.getByLabel('Rechercher dans les questions').focus();
    await page.keyboard.type(first);
    const firstAnswer = await held;
    const secondAnswered = page.waitForResponse(new RegExp(`/questions\\?(.*&)?q=${second}`));
    await searchShows(page, second, `Combien de ${second} sont fournis ?`);
    await secondAnswered;
    // Every list the widget draws from now on is recorded, for 1.5 s after the late answer
    // (the widget reads an answer within milliseconds).
    await page.evaluate(() => {
      const root = document.querySelector('pv-qa').shadowRoot;
      const record = () => [...root.querySelectorAll('article.question h3')].map((heading) => heading.textContent);
      window.drawnLists = [record()];
      new MutationObserver(() => window.drawnLists.push(record())).observe(root, { childList: true, subtree: true, characterData: true });
    });
    const arrived = page.waitForResponse(firstSearch);
    await firstAnswer.continue();
    await arrived;
    await page.waitForTimeout(1_500);
    const drawn = await page.evaluate(() => window.drawnLists);
    assert.deepEqual(new Set(drawn.map((list) => JSON.stringify(list))), new Set([JSON.stringify([`Combien de ${second} sont fournis ?`])]));
  });

  test('a search that cannot reach the worker says so after asking again, and finds once tried again', async () => {
    const word = `tendeur${newId().slice(0, 6)}`;
    await publishedQuestion(`Le ${word} est-il réglable ?`);
    const page = await visit();
    opened.at(-1).allowed = [/ERR_INTERNET_DISCONNECTED/];
    const qa = page.locator('pv-qa');
    let connected = false;
    let asked = 0;
    await page.route(new RegExp(`/questions\\?(.*&)?q=${word}`), (route) => {
      asked++;
      return connected ? route.continue() : route.abort('internetdisconnected');
    });
    await qa.getByLabel('Rechercher dans les questions').focus();
    await page.keyboard.type(word);
    await qa.getByText('Les questions sont indisponibles pour le moment.').waitFor({ timeout: 20_000 });
    assert.equal(asked, 4, 'asked again after 1, 2 and 4 s');
    connected = true;
    await qa.getByRole('button', { name: 'Réessayer' }).press('Enter');
    await qa.getByRole('heading', { name: `Le ${word} est-il réglable ?` }).waitFor();
    assert.equal(await qa.getByRole('alert').count(), 0);
    assert.equal(asked, 5);
    assert.equal(await qa.evaluate((host) => host.shadowRoot.activeElement?.className), 'heading', 'the focus waits on the heading');
  });

  test('a search with no match on the page says the worker is searching, and no match only once it has answered', async () => {
    await publishedQuestion('Les sardines tiennent-elles dans le sable ?');
    const page = await visit();
    const qa = page.locator('pv-qa');
    const notice = qa.locator('p.none');
    const word = `sardine${newId().slice(0, 6)}`;
    const search = new RegExp(`/questions\\?(.*&)?q=${word}`);
    const held = new Promise((resolve) => page.route(search, resolve));
    await qa.getByLabel('Rechercher dans les questions').focus();
    await page.keyboard.type(word);
    // No question on the page matches, but later pages might: while typing pauses and while
    // the worker searches, the widget must not send the visitor to ask again.
    await notice.getByText('Recherche dans toutes les questions…').waitFor();
    const worker = await held;
    assert.equal(await notice.textContent(), 'Recherche dans toutes les questions…');
    assert.equal(await qa.locator('article.question').count(), 0);
    await worker.continue();
    await notice.getByText('Aucune question ne correspond : posez la vôtre.').waitFor();
    // A search cleared shows every question again, with no notice once they are back.
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await qa.locator('article.question').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('pv-qa').shadowRoot.querySelector('p.none'));
  });

  test('a whole question typed in the search finds the questions that share its telling words, the most shared first', async () => {
    const tag = newId().slice(0, 8);
    const question = `Les arceaux${tag} résistent-ils vraiment au grand froid ?`;
    await publishedQuestion(question);
    const oneWord = `Quelle montagne pour débuter (${tag}) ?`;
    await publishedQuestion(oneWord);
    await publishedQuestion(`Le double toit ${tag} se monte-t-il seul ?`);
    const page = await visit();
    const qa = page.locator('pv-qa');
    const searches = [];
    page.on('request', (request) => {
      if (request.url().includes('/questions?')) searches.push(new URL(request.url()).searchParams.get('q'));
    });
    assert.ok((await visibleQuestions(page)).length > 2);
    // Longer than the 100 characters the worker reads, and full of words every question
    // has. The page's list is narrowed first, in its own order, the worker's searches held
    // back; the worker's answer puts the question sharing the most words first.
    const typed = `Bonjour, est-ce que les arceaux${tag} de cette tente résistent vraiment au grand froid de la haute montagne en hiver ?`;
    assert.ok(typed.length > 100);
    const held = [];
    await page.route(/\/questions\?(.*&)?q=/, (route) => held.push(route));
    await qa.getByLabel('Rechercher dans les questions').focus();
    await page.keyboard.type(typed);
    await page.waitForFunction(() => document.querySelector('pv-qa').shadowRoot.querySelectorAll('article.question').length === 2);
    assert.deepEqual(await visibleQuestions(page), [oneWord, question], 'newest first, as listed');
    await page.unroute(/\/questions\?(.*&)?q=/);
    const answered = page.waitForResponse(/\/questions\?(.*&)?q=/);
    await Promise.all(held.map((route) => route.continue()));
    await answered;
    await page.waitForFunction(() => document.querySelector('pv-qa').shadowRoot.querySelector('ol.questions[aria-busy="false"]'));
    await page.waitForFunction(
      (first) => document.querySelector('pv-qa').shadowRoot.querySelector('article.question h3')?.textContent === first,
      question,
    );
    assert.deepEqual(await visibleQuestions(page), [question, oneWord]);
    assert.deepEqual(
      await qa.locator('article.question').evaluateAll((articles) => articles.map((article) => [...article.querySelectorAll('h3 mark')].map((mark) => mark.textContent))),
      [[`arceaux${tag}`, 'résistent'], ['montagne']],
      'the words each question holds are marked',
    );
    assert.equal(await qa.locator('.alert').count(), 0);
    assert.ok(searches.includes(`arceaux${tag} résistent montagne`), `searched for ${JSON.stringify(searches)}`);
    assert.ok(searches.every((q) => q === null || q.length <= 100));
    // The search typed is the question's start when the visitor asks it after all.
    await qa.getByRole('button', { name: 'Poser une question' }).click();
    await page.waitForFunction(() => document.querySelector('pv-qa').shadowRoot.activeElement?.id === 'pv-qa-text');
    assert.equal(await qa.locator('#pv-qa-text').inputValue(), typed);
  });

  test('hostile questions show as text, and the widget has no WCAG 2.2 AA violation with its form open', async () => {
    await publishedQuestion('<img src=x onerror=alert(1)> est-ce étanche ?');
    const page = await visit({ bypassCSP: true });
    let dialogs = 0;
    page.on('dialog', async (dialog) => {
      dialogs++;
      await dialog.dismiss();
    });
    const qa = page.locator('pv-qa');
    await qa.getByText('<img src=x onerror=alert(1)> est-ce étanche ?').waitFor();
    assert.equal(await qa.evaluate((element) => element.shadowRoot.querySelectorAll('img').length), 0);
    // Only the question's own heading is bold, not its byline and answers (the NPS survey's
    // question styles, in the stylesheet every widget shares, must not reach it).
    const weight = (selector) => qa.locator(selector).first().evaluate((element) => getComputedStyle(element).fontWeight);
    assert.equal(await weight('article.question'), '400');
    assert.equal(await weight('article.question h3'), '700');
    const audit = () => accessibilityViolations(page, 'pv-qa');
    assert.deepEqual(await audit(), []);
    // Searched: the hostile markup found is marked as text too, and still readable.
    await qa.getByLabel('Rechercher dans les questions').fill('onerror');
    await qa.locator('article.question mark').first().waitFor();
    assert.deepEqual(await qa.locator('article.question mark').allTextContents(), ['onerror']);
    assert.equal(await qa.evaluate((element) => element.shadowRoot.querySelectorAll('img').length), 0);
    assert.deepEqual(await audit(), []);
    await qa.getByRole('button', { name: 'Poser une question' }).click();
    await qa.getByRole('button', { name: 'Envoyer ma question' }).click();
    // Numbers written as French writes them, as in the character count.
    await qa.getByText(/^Écrivez entre 10 et 1\s000 caractères\.$/u).waitFor();
    assert.deepEqual(await audit(), []);
    assert.equal(dialogs, 0);
  });
});
