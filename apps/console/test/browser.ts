import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = join(__dirname, '..', '..', '..');

/** Debian's Chromium (apt-get install chromium), or CHROMIUM_PATH; Playwright downloads nothing. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/**
 * Saves a screenshot of the page under docs/screenshots/ when UPDATE_SCREENSHOTS=1 (the README
 * shows them); otherwise nothing, so an ordinary test run leaves the work tree untouched.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env['UPDATE_SCREENSHOTS'] !== '1') return;
  const dir = join(ROOT, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  // The charts draw with a short animation: let it end.
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
