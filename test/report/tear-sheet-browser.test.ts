/**
 * Must-show 4 of the reports: the HTML tear sheet of a run stored by an earlier session, opened in a
 * real headless Chromium (Debian's `chromium`, driven by playwright-core; nothing is downloaded):
 * no console errors and no network request, the charts (inline SVG with drawn paths) and tables in
 * the DOM, and a screenshot that is not blank. Skips with a message when /usr/bin/chromium is absent
 * (.ci/run installs it). EDGELAB_DOCS_SCREENSHOT=1 also writes docs/report-tearsheet.png.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import backtestCmd from '../../commands/backtest.js';
import reportCmd from '../../commands/report.js';
import { Session } from '../../src/shell/session.js';
import { createShell } from '../../src/shell/runtime.js';
import type { CommandIO } from '../../src/shell/command.js';
import { tempFiles } from '../helpers/temp-files.js';

const CHROMIUM = '/usr/bin/chromium';
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const tmp = tempFiles('tearsheet');
const db = join(tmp.dir, 'results.duckdb');
const html = join(tmp.dir, 'sheet.html');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`tear sheet browser test skipped: ${CHROMIUM} not found (apt-get install chromium; .ci/run does)`);

const io = (logged: string[]): CommandIO => ({
  signal: new AbortController().signal,
  progress: () => {},
  log: (m) => logged.push(m),
  execute: () => Promise.reject(new Error('not used')),
});

let runId = '';

beforeAll(async () => {
  const shell = await createShell({ root, cwd: tmp.dir });
  expect((await shell.dispatcher.execute('ingest synthetic')).result.status).toBe('ok');
  const logged: string[] = [];
  const r = await backtestCmd.run(shell.session, backtestCmd.schema.parse({ db }), io(logged));
  expect(r.status).toBe('ok');
  runId = /stored as run (\S+)/.exec(logged.join('\n'))![1]!;
  // a later session: the report comes from the database alone
  const later = new Session({ root, cwd: tmp.dir });
  const out = await reportCmd.run(later, reportCmd.schema.parse({ id: runId, html, db }), io([]));
  expect(out.status).toBe('ok');
}, 240_000);

describe('report RUN --html: the tear sheet file', () => {
  it('is one self-contained page: inline SVG and CSS, no script, no external URL', () => {
    const page = readFileSync(html, 'utf8');
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).not.toMatch(/<script|<link|src=|https?:\/\//i);
    for (const id of ['equity', 'underwater', 'rolling-sharpe', 'monthly-heatmap', 'models']) expect(page).toContain(`data-chart="${id}"`);
    expect(page).toContain(runId);
  });
  it('a path that is not .html, and an unknown run, are one clear line', async () => {
    const s = new Session({ root, cwd: tmp.dir });
    await expect(reportCmd.run(s, reportCmd.schema.parse({ id: runId, html: join(tmp.dir, 'x.txt'), db }), io([]))).rejects.toThrow(/must end in .html/);
    await expect(reportCmd.run(s, reportCmd.schema.parse({ id: 'bt-zzz', db }), io([]))).rejects.toThrow(/no run 'bt-zzz'/);
  });
});

describe.skipIf(!haveChromium)('report RUN --html in headless Chromium (must-show 4)', () => {
  it('renders with no console error or request, charts and tables in the DOM, a screenshot that is not blank', async () => {
    const { chromium } = await import('playwright-core');
    const profile = mkdtempSync(join(tmpdir(), 'edgelab-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1200, height: 900 },
    });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
      // page scripts as strings: the project's type-check has no DOM library
      const dom = (await page.evaluate(`(() => {
        const charts = [...document.querySelectorAll('figure[data-chart]')].map((f) => ({
          id: f.getAttribute('data-chart'),
          paths: [...f.querySelectorAll('path')].filter((p) => (p.getAttribute('d') || '').length > 20).length,
          rects: f.querySelectorAll('rect').length,
          width: f.querySelector('svg').getBoundingClientRect().width,
        }));
        const tables = Object.fromEntries([...document.querySelectorAll('table[data-table]')].map((t) => [t.getAttribute('data-table'), t.querySelectorAll('tbody tr').length]));
        return { charts, tables, title: document.title };
      })()`)) as { charts: { id: string; paths: number; rects: number; width: number }[]; tables: Record<string, number>; title: string };
      const chart = (id: string) => dom.charts.find((c) => c.id === id)!;
      expect(chart('equity').paths).toBe(2); // NAV and benchmark
      expect(chart('underwater').paths).toBe(1);
      expect(chart('rolling-sharpe').paths).toBe(2);
      expect(chart('models').paths).toBe(3); // the three portfolio models
      expect(chart('monthly-heatmap').rects).toBeGreaterThan(12);
      for (const c of dom.charts) expect(c.width).toBeGreaterThan(300);
      for (const t of ['record', 'metrics', 'monthly', 'drawdowns', 'benchmark', 'trades', 'costs', 'model-costs', 'regimes', 'gates']) expect(dom.tables[t], t).toBeGreaterThan(0);
      expect(dom.title).toContain(runId);

      const shot = await page.screenshot({ fullPage: true, type: 'png' });
      // not blank: draw the screenshot into a canvas and count pixels that are neither white nor one colour
      const stats = (await page.evaluate(`(async () => {
        const img = new Image();
        img.src = 'data:image/png;base64,${shot.toString('base64')}';
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const g = c.getContext('2d');
        g.drawImage(img, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data;
        let dark = 0;
        const colours = new Set();
        for (let i = 0; i < d.length; i += 4 * 7) {
          if (d[i] + d[i + 1] + d[i + 2] < 600) dark++;
          colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        }
        return { width: c.width, height: c.height, dark, colours: colours.size };
      })()`)) as { width: number; height: number; dark: number; colours: number };
      expect(stats.width).toBe(1200);
      expect(stats.height).toBeGreaterThan(1500);
      expect(stats.dark).toBeGreaterThan(5000);
      expect(stats.colours).toBeGreaterThan(50);
      if (process.env['EDGELAB_DOCS_SCREENSHOT'] === '1') {
        const out = join(tmp.dir, 'shot.png');
        await page.screenshot({ path: out, fullPage: false, type: 'png' });
        copyFileSync(out, join(root, 'docs/report-tearsheet.png'));
      }
    } finally {
      await context.close();
    }
  }, 120_000);
});
