// Runs axe-core on HTML files in headless Chromium and prints what it finds as JSON.
//
//   node tests/axe/run_axe.mjs [--widths=1280,390] PAGE.html [PAGE.html ...]
//
// Each page is checked at a desktop and at a phone width (the layout, and so contrast and
// scrolling, differ): 1280 and 360 px, or the widths given. Prints on stdout
//   {"<file>": [{id, impact, help, helpUrl, viewport, nodes: [{target, summary}]}, ...], ...}
// and exits 0 whatever axe found: tests/test_accessibility_html.py asserts on the result.
// Exits 2 on a usage error and 1 when a page cannot be checked (no browser, unreadable file).
//
// The browser is the system's Chromium (Debian package `chromium`); playwright-core is only the
// driver and never downloads a browser of its own. CHROMIUM=/path overrides the executable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import axe from 'axe-core';
import { chromium } from 'playwright-core';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 360, height: 740 },
};
const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox', // runs as root in CI
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const widths = process.argv.slice(2).find((arg) => arg.startsWith('--widths='));
if (widths) {
  for (const key of Object.keys(VIEWPORTS)) delete VIEWPORTS[key];
  for (const width of widths.slice('--widths='.length).split(',').map(Number)) {
    VIEWPORTS[`${width}px`] = { width, height: width > 800 ? 900 : 740 };
  }
}
const files = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
if (files.length === 0 || Object.values(VIEWPORTS).some((v) => !(v.width > 0))) {
  console.error('usage: node run_axe.mjs [--widths=1280,390] PAGE.html [PAGE.html ...]');
  process.exit(2);
}
for (const file of files) {
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
    console.error(`run_axe: not a file: ${file}`);
    process.exit(1);
  }
}

function summarise(violation, viewport) {
  return {
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    helpUrl: violation.helpUrl,
    viewport,
    nodes: violation.nodes.map((node) => ({
      target: node.target,
      summary: node.failureSummary,
    })),
  };
}

// A fresh profile for every run, removed afterwards.
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'reportgen-axe-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: EXECUTABLE,
    headless: true,
    args: ARGS,
    offline: true, // the pages are self-contained: nothing may be fetched
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const results = {};
  for (const file of files) {
    results[file] = [];
    for (const [name, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
      await page.addScriptTag({ content: axe.source });
      const found = await page.evaluate(
        (values) => window.axe.run(document, { runOnly: { type: 'tag', values } }),
        TAGS,
      );
      results[file].push(...found.violations.map((v) => summarise(v, name)));
    }
  }
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
} catch (error) {
  console.error(`run_axe: ${error.stack || error}`);
  process.exitCode = 1;
} finally {
  await context?.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
