// Measures how HTML pages lay out in headless Chromium, at a desktop and at a phone width, and
// prints what it finds as JSON (tests/test_html_layout.py asserts on it).
//
//   node tests/axe/run_layout.mjs [--screenshots DIR] PAGE.html [PAGE.html ...]
//
// For each page and width: whether the page scrolls sideways; the fonts the page loaded; for
// each figures table, every body cell's box against its table's scrolling box and the screen
// (and the column name shown before it, in the stacked layout); for each chart, the drawing on
// show and its smallest text in CSS px (the SVG's smallest font-size, scaled as the picture is).
// Exits 2 on a usage error and 1 when a page cannot be measured.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
};
const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let args = process.argv.slice(2);
let shots = null;
if (args[0] === '--screenshots') {
  shots = args[1];
  args = args.slice(2);
}
if (args.length === 0) {
  console.error('usage: node run_layout.mjs [--screenshots DIR] PAGE.html [PAGE.html ...]');
  process.exit(2);
}

// Runs in the page.
function measure() {
  const view = { width: window.innerWidth };
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top + window.scrollY, width: r.width, height: r.height };
  };
  const tables = [...document.querySelectorAll('table.figures')].map((table) => {
    const wrap = table.closest('.table-wrap') || table.parentElement;
    const cells = [...table.querySelectorAll('tbody th, tbody td')].map((cell) => {
      const label = getComputedStyle(cell, '::before').content;
      return {
        text: cell.textContent.trim(),
        box: box(cell),
        clipped: cell.scrollWidth > cell.clientWidth + 1,
        label: label && label !== 'none' && label !== 'normal' ? label.replace(/^"|"$/g, '') : '',
      };
    });
    const header = [...table.querySelectorAll('thead th')].map((th) => ({
      text: th.textContent.trim(),
      box: box(th),
      clipped: th.scrollWidth > th.clientWidth + 1,
      shown: th.getBoundingClientRect().width > 1,
    }));
    return {
      caption: table.caption ? table.caption.textContent.trim() : '',
      wrap: box(wrap),
      scrolls: wrap.scrollWidth > wrap.clientWidth + 1,
      header,
      cells,
    };
  });
  const charts = [...document.querySelectorAll('figure.chart')].map((figure) => {
    const shown = [...figure.querySelectorAll('img')].filter(
      (img) => getComputedStyle(img).display !== 'none');
    return shown.map((img) => {
      const svg = atob(img.src.split(',', 2)[1]);
      const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
      const root = doc.documentElement;
      const viewBox = root.getAttribute('viewBox').split(/\s+/).map(Number);
      const sizes = [...doc.querySelectorAll('text')].map((t) => Number(t.getAttribute('font-size')));
      const width = img.getBoundingClientRect().width;
      return {
        className: img.className,
        width,
        smallestTextPx: Math.min(...sizes) * width / viewBox[2],
        box: box(img),
      };
    });
  });
  const fonts = [...document.fonts].filter((f) => f.status === 'loaded').map(
    (f) => `${f.family} ${f.weight} ${f.style}`);
  return {
    viewport: view,
    scrollWidth: document.documentElement.scrollWidth,
    fonts,
    bodyFont: getComputedStyle(document.body).fontFamily,
    tables,
    charts,
  };
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'reportgen-layout-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: EXECUTABLE, headless: true, args: ARGS, offline: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const results = {};
  for (const file of args) {
    results[file] = {};
    for (const [name, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready);
      results[file][name] = await page.evaluate(measure);
      if (shots) {
        fs.mkdirSync(shots, { recursive: true });
        const shot = path.join(shots, `${path.basename(file, '.html')}-${size.width}.png`);
        await page.screenshot({ path: shot, fullPage: true });
      }
    }
  }
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
} catch (error) {
  console.error(`run_layout: ${error.stack || error}`);
  process.exitCode = 1;
} finally {
  await context?.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
