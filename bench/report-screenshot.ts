// `npm run report:screenshot`: renders the sample migration report in headless Chromium and saves docs/report.png for the README. Not part of npm test.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { migrationReport } from '../runner/core/report';
import { reportHtml } from '../runner/core/report-html';
import { reportOutputs, troubledState } from '../test/runner/report-builders';

/** Debian names it chromium; other systems chromium-browser or google-chrome. */
const BROWSERS = ['chromium', 'chromium-browser', 'google-chrome'];

function browser(): string {
  for (const name of BROWSERS) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      // Not this one: try the next name.
    }
  }
  throw new Error(`No headless browser found (tried ${BROWSERS.join(', ')}): apt-get install -y chromium`);
}

function main(): void {
  const target = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'docs', 'report.png'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-screenshot-'));
  try {
    // The troubled sample shows everything a reader meets: a finished bucket beside one with failures,
    // accepted exceptions, open restores and a failed verification. A fixed time keeps the PNG stable.
    const html = reportHtml(migrationReport({ state: troubledState(), outputs: reportOutputs(), generatedAt: new Date('2026-11-30T08:00:00.000Z') }));
    const page = path.join(dir, 'report.html');
    fs.writeFileSync(page, html);
    execFileSync(
      browser(),
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
        '--hide-scrollbars',
        `--user-data-dir=${path.join(dir, 'profile')}`,
        `--screenshot=${target}`,
        '--window-size=1200,1600',
        `file://${page}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 },
    );
    if (!fs.existsSync(target) || fs.statSync(target).size === 0) throw new Error(`Chromium wrote no screenshot to ${target}`);
    process.stdout.write(`Saved ${path.relative(process.cwd(), target)} (${fs.statSync(target).size} bytes)\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
