import { execFileSync } from 'node:child_process';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (installed by scripts/ensure-chromium.sh when missing), headless, driven by playwright-core. */
export function launchChromium(): Promise<Browser> {
  const executablePath = execFileSync('sh', ['scripts/ensure-chromium.sh'], { encoding: 'utf8' }).trim();
  return chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}
