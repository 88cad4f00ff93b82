// Searches the report's web site in headless Chromium, as a reader would, and prints JSON.
//
//   node tests/axe/site_search.mjs SITE_FOLDER WORD [WORD ...]
//
// The folder is served at http://nettsted.test/ by Playwright's request routing: nothing
// listens on a port and no request leaves the browser. For each word, sok.html?q=WORD is
// opened and the results that Pagefind's search box shows are read. Then axe-core checks the
// search page with its results at 1280 and 390 px, and the search page is opened from the
// disk (file://) and with JavaScript off, to see what it says there. Prints on stdout
//   {"results": {WORD: [{"url", "title"}]}, "axe": [violations], "from_disk": TEXT,
//    "without_script": TEXT}
// (TEXT: the note the page shows) and exits 0; 1 when the browser or a page fails.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import axe from 'axe-core';
import { chromium } from 'playwright-core';

const ORIGIN = 'http://nettsted.test';
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const WIDTHS = [1280, 390];
const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const [folder, ...words] = process.argv.slice(2);
if (!folder || words.length === 0) {
  console.error('usage: node site_search.mjs SITE_FOLDER WORD [WORD ...]');
  process.exit(2);
}
const root = path.resolve(folder);

async function serveFolder(context) {
  await context.route(/^https?:/, async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort(); // nothing is fetched from elsewhere
    const file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root) || !fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      return route.fulfill({ status: 404, body: 'not found' });
    }
    return route.fulfill({ path: file });
  });
}

async function search(page, word) {
  await page.goto(`${ORIGIN}/sok.html?q=${encodeURIComponent(word)}`, { waitUntil: 'load' });
  // Done when the message names the word (not "Søker etter …") and every result has its link.
  await page.waitForFunction((wanted) => {
    const message = document.querySelector('.pagefind-ui__message')?.textContent || '';
    if (!message.includes(wanted) || message.startsWith('S\u00f8ker')) return false;
    return [...document.querySelectorAll('.pagefind-ui__result')]
      .every((result) => result.querySelector('.pagefind-ui__result-link'));
  }, word, { timeout: 20000 });
  return page.$$eval('.pagefind-ui__result-title .pagefind-ui__result-link', (links) =>
    links.map((a) => ({ url: a.getAttribute('href'), title: a.textContent.trim() })));
}

function summarise(violation, viewport) {
  return { id: violation.id, impact: violation.impact, help: violation.help,
    helpUrl: violation.helpUrl, viewport,
    nodes: violation.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })) };
}

async function note(page) {
  return page.$$eval('.search-note', (notes) =>
    notes.filter((n) => !n.hidden).map((n) => n.textContent.trim()).join(' '));
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'reportgen-search-'));
let context;
let plain;
try {
  const launch = { executablePath: EXECUTABLE, headless: true, args: ARGS };
  context = await chromium.launchPersistentContext(profile, launch);
  await serveFolder(context);
  const page = context.pages()[0] ?? (await context.newPage());
  const out = { results: {}, axe: [] };
  for (const word of words) out.results[word] = await search(page, word);
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await search(page, words[0]);
    await page.addScriptTag({ content: axe.source });
    const found = await page.evaluate(
      (values) => window.axe.run(document, { runOnly: { type: 'tag', values } }), TAGS);
    out.axe.push(...found.violations.map((v) => summarise(v, `${width}px`)));
  }
  const disk = pathToFileURL(path.join(root, 'sok.html')).href + '?q=' + encodeURIComponent(words[0]);
  await page.goto(disk, { waitUntil: 'load' });
  await page.waitForFunction(() => !document.getElementById('sok-fil').hidden, null,
    { timeout: 20000 });
  out.from_disk = await note(page);
  plain = await chromium.launch({ ...launch, args: ARGS });
  const noScript = await plain.newContext({ javaScriptEnabled: false });
  const quiet = await noScript.newPage();
  await quiet.goto(disk, { waitUntil: 'load' });
  out.without_script = await note(quiet);
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
} catch (error) {
  console.error(`site_search: ${error.stack || error}`);
  process.exitCode = 1;
} finally {
  await context?.close();
  await plain?.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
