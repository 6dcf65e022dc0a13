// `npm run report:screenshot`: renders the report of the demo's state in headless Chromium and saves docs/report.png for the README. Not part of npm test.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { migrationReport } from '../runner/core/report';
import { reportHtml } from '../runner/core/report-html';
import { COMMIT, demoOutputs, demoState } from '../test/runner/report-builders';
import { launchChromium } from '../test/runner/support/chromium';

async function main(): Promise<void> {
  const target = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'docs', 'report.png'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-screenshot-'));
  const browser = await launchChromium();
  try {
    // The state `npm run demo` leaves: three buckets migrated, verified and expired, noncurrent versions
    // awaiting the expiration. A fixed time and build keep the PNG stable.
    const report = migrationReport({
      state: demoState(),
      outputs: demoOutputs(),
      generatedAt: new Date('2026-12-05T14:45:12.000Z'),
      generatedBy: { toolVersion: '0.1.0', commit: COMMIT },
    });
    const page = path.join(dir, 'report.html');
    fs.writeFileSync(page, reportHtml(report));
    const tab = await browser.newPage({ viewport: { width: 1200, height: 1500 } });
    await tab.goto(`file://${page}`, { waitUntil: 'load' });
    await tab.screenshot({ path: target });
    process.stdout.write(`Saved ${path.relative(process.cwd(), target)} (${fs.statSync(target).size} bytes)\n`);
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
