// Headless Chromium from the system (Debian's `chromium` package, which .ci/run installs), driven over the DevTools protocol by playwright-core.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian names it chromium; other systems chromium-browser or google-chrome. CHROMIUM_PATH wins. */
const NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

/** The browser's executable, or an error saying how to install one. */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of NAMES) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) return file;
    }
  }
  throw new Error(
    `No headless browser found on PATH (tried ${NAMES.join(', ')}): install Debian's chromium (apt-get install -y --no-install-recommends chromium; .ci/run does this) or set CHROMIUM_PATH`,
  );
}

/** Launches the system Chromium headless; the caller closes it. */
export async function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start.
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}
