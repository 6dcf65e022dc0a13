// The HTML report in a real browser: Debian's headless Chromium (installed by .ci/run) renders it at 1200 px, with no console error and nothing wider than the page.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { migrationReport } from '../../runner/core/report';
import { reportHtml } from '../../runner/core/report-html';
import { COMMIT, demoOutputs, demoState, outputsHolding, reportOutputs, stateHolding, troubledState } from './report-builders';
import { launchChromium } from './support/chromium';

const WIDTH = 1200;
const generatedAt = new Date('2026-12-05T14:45:12.000Z');
const generatedBy = { toolVersion: '0.1.0', commit: COMMIT };

interface Rendered {
  readonly page: Page;
  /** Console errors and warnings, and uncaught page errors, while it loaded. */
  readonly problems: string[];
}

describe('the HTML report in headless Chromium at 1200 px', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    browser = await launchChromium();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-browser-'));
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the report as a reader does: a file, no network. */
  async function open(name: string, html: string): Promise<Rendered> {
    const file = path.join(dir, `${name}.html`);
    fs.writeFileSync(file, html);
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file://')) problems.push(`request: ${r.url()}`);
    });
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    return { page, problems };
  }

  /** Elements that stick out past the right edge of the page's content, and cells over three lines. */
  const layoutProblems = (page: Page) =>
    page.evaluate(() => {
      const body = document.body.getBoundingClientRect();
      const right = body.right - parseFloat(getComputedStyle(document.body).paddingRight);
      const wide = [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > right + 1)
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className)}` : ''} ends at ${Math.round(el.getBoundingClientRect().right)} > ${Math.round(right)}`,
        );
      const tall = [...document.querySelectorAll('td')]
        .filter((td) => {
          const style = getComputedStyle(td);
          const lines = (td.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)) / parseFloat(style.lineHeight);
          return lines > 3.2;
        })
        .map((td) => `${td.closest('table')?.className} cell "${(td.textContent ?? '').slice(0, 60)}" is ${td.clientHeight}px high`);
      return { scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 10), tall: tall.slice(0, 10) };
    });

  it('renders the demo migration with no console error, within 1200 px, no cell over three lines', async () => {
    const { page, problems } = await open(
      'demo',
      reportHtml(migrationReport({ state: demoState(), outputs: demoOutputs(), generatedAt, generatedBy })),
    );
    const layout = await layoutProblems(page);
    expect(problems).toEqual([]);
    expect(layout).toEqual({ scrollWidth: WIDTH, wide: [], tall: [] });
  });

  it('shows what a reader needs first: the verdict, the totals, who ran it, and the noncurrent versions with the day they go', async () => {
    const { page } = await open(
      'demo-texts',
      reportHtml(migrationReport({ state: demoState(), outputs: demoOutputs(), generatedAt, generatedBy })),
    );
    await expect(page.locator('#overall').innerText()).resolves.toBe('done');
    await expect(page.locator('table.totals').isVisible()).resolves.toBe(true);
    await expect(page.locator('table.totals tbody td').nth(5).innerText()).resolves.toBe('6,622, gone by 13 Dec 2026');
    await expect(page.locator('table.runs tbody tr').first().innerText()).resolves.toContain(
      'arn:aws:sts::123456789012:assumed-role/kms-migration-runner/demo',
    );
    const assets = page.locator('section[data-bucket="demo-app-assets"]');
    await expect(assets.locator('p.awaiting').isVisible()).resolves.toBe(true);
    await expect(assets.locator('p.awaiting').innerText()).resolves.toMatch(/^3,422 noncurrent versions not compliant .* by 13 Dec 2026/);
    // The chart draws as many pixels for each part as its share: the grey part is the noncurrent versions awaiting the expiration.
    const bars = await assets
      .locator('svg rect.awaitingExpiration')
      .evaluateAll((rects) => rects.map((r) => Math.round(r.getBoundingClientRect().width)));
    expect(bars).toHaveLength(1);
    expect(bars[0]).toBeGreaterThan(200);
    await expect(page.locator('#generated-at time').getAttribute('datetime')).resolves.toBe('2026-12-05T14:45:12.000Z');
  });

  it('renders a troubled migration as well: within 1200 px and no console error', async () => {
    const { page, problems } = await open(
      'troubled',
      reportHtml(migrationReport({ state: troubledState(), outputs: reportOutputs(), generatedAt, generatedBy })),
    );
    expect(problems).toEqual([]);
    expect(await layoutProblems(page)).toEqual({ scrollWidth: WIDTH, wide: [], tall: [] });
    await expect(page.locator('#overall').innerText()).resolves.toBe('needs attention');
  });

  it('runs nothing a key holds, and keeps a long hostile value within the page', async () => {
    const value = `<img src=x onerror=console.error(1)><script>console.error(2)</script>${'x'.repeat(300)}`;
    const { page, problems } = await open(
      'hostile',
      reportHtml(migrationReport({ state: stateHolding(value), outputs: outputsHolding(value), generatedAt, generatedBy })),
    );
    expect(problems).toEqual([]);
    expect(await page.evaluate(() => document.querySelectorAll('script, img').length)).toBe(0);
    expect((await layoutProblems(page)).scrollWidth).toBe(WIDTH);
  });
});
