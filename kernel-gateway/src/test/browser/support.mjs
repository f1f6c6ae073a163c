// What every browser test shares: where the suite is, the operator key, screenshots, and one chromium page.
//
//   MEMROOS_URL           gateway base URL (default http://localhost:8080)
//   MEMROOS_OPERATOR_KEY  the operator key (else MEMROOS_OPERATOR_API_KEY, else $MEMROOS_DATA/operator.key)
//   MEMROOS_SCREENSHOTS   where screenshots go (default kernel-gateway/target/screenshots)
//   CHROMIUM              browser binary (default /usr/bin/chromium)
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const BASE = (process.env.MEMROOS_URL || 'http://localhost:8080').replace(/\/$/, '');
export const OPERATOR_KEY = process.env.MEMROOS_OPERATOR_KEY || process.env.MEMROOS_OPERATOR_API_KEY || keyFromDataDir();
const SHOTS = process.env.MEMROOS_SCREENSHOTS || path.resolve(here, '../../../target/screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function keyFromDataDir() {
  const file = path.join(process.env.MEMROOS_DATA || 'data', 'operator.key');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

assert.ok(OPERATOR_KEY, 'set MEMROOS_OPERATOR_KEY to the operator key');
mkdirSync(SHOTS, { recursive: true });

/** Opens headless chromium with the flags this closed network needs; the caller closes `browser`. */
export async function openBrowser() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('dialog', (dialog) => dialog.accept());
  return { browser, page };
}

/** Saves a full-page screenshot as SHOTS/name.png. */
export function screenshot(page, name) {
  return page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}
