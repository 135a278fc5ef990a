/**
 * `npm run screenshots`: the README's pictures of every screen, taken from the built web host
 * (`out/main/web.js`) on the embedded demo router in Debian's Chromium, light theme (the OS colour
 * scheme, emulated), plus the Mappings screen in the dark theme. The NAT pictures use the loopback
 * STUN responder (tests/support), as the e2e tests do: no Internet here. Writes into docs/.
 * Run it again after a change to a screen, and look at every picture before committing it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, expect, type Page } from '@playwright/test';
import { chromiumArgs } from '../../playwright.config';
import { repoRoot, startApp, type StartedApp } from '../e2e/web-host';
import { startStunResponder, type StunResponder } from '../support/stun-responder';

const DOCS = path.join(repoRoot, 'docs');
const WIDTH = 1440;

const nav = (page: Page, title: string) => page.getByRole('navigation').getByText(title, { exact: true }).click();

async function shot(page: Page, name: string, height = 900): Promise<void> {
  await page.setViewportSize({ width: WIDTH, height });
  // Transitions and the live table's highlights settle first; toasts (an alert about the self-test's
  // own mapping on the demo router) are closed: the picture is of the screen.
  await page.waitForTimeout(2800);
  for (const close of await page.locator('.n-message__close').all()) await close.click().catch(() => undefined);
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(DOCS, `${name}.png`) });
  process.stdout.write(`docs/${name}.png\n`);
}

async function startDemo(page: Page, app: StartedApp, scenario: RegExp, dialect = /^RouterOS 7/): Promise<void> {
  await page.goto(app.url);
  await page.getByTestId('demo-profile').click();
  await page.locator('.n-base-select-option').filter({ hasText: dialect }).click();
  await page.getByTestId('demo-scenario').click();
  await page.locator('.n-base-select-option').filter({ hasText: scenario }).click();
  await page.getByTestId('demo-start').click();
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible({ timeout: 30_000 });
}

/** Connect, Overview, Mappings (light and dark), the cleanup preview, Configuration, Settings. */
async function homeScreens(page: Page, app: StartedApp): Promise<void> {
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'Connect', level: 1 })).toBeVisible();
  await shot(page, 'connect');
  await startDemo(page, app, /^Home network/);
  await expect(page.getByTestId('ov-identity')).toHaveText('HomeRouter', { timeout: 15_000 });
  await shot(page, 'overview', 1000);

  await nav(page, 'Mappings');
  await expect(page.getByTestId('mappings-table')).toContainText('plex-server', { timeout: 15_000 });
  await shot(page, 'screenshot');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'mappings-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByTestId('cleanup-open').click();
  await expect(page.getByTestId('cleanup-plan')).toBeVisible({ timeout: 15_000 });
  await shot(page, 'mappings-cleanup');
  await page.keyboard.press('Escape');

  await nav(page, 'Configuration');
  await expect(page.locator('.n-tabs')).toBeVisible({ timeout: 15_000 });
  await shot(page, 'configuration', 1000);
  await nav(page, 'Security audit');
  await page.getByTestId('audit-run').click();
  await expect(page.getByTestId('audit-score')).toBeVisible({ timeout: 30_000 });
  await shot(page, 'audit', 1100);
  await nav(page, 'Settings');
  await shot(page, 'settings', 1100);
}

/** The setup wizard on a fresh router: the devices step and the reviewed plan. */
async function wizardScreens(page: Page, app: StartedApp): Promise<void> {
  await startDemo(page, app, /^Fresh router/, /^With UPnP permission/);
  await nav(page, 'Setup wizard');
  const next = page.getByTestId('wizard-next');
  for (let step = 1; step < 6; step++) {
    await expect(page.getByTestId(`wizard-step-${step}`)).toBeVisible({ timeout: 15_000 });
    if (step === 4) await shot(page, 'setup-wizard', 1000);
    await next.click();
  }
  await expect(page.getByTestId('plan-preview')).toBeVisible({ timeout: 15_000 });
  await shot(page, 'setup-wizard-review', 1100);
}

/**
 * The Troubleshooter on the NAT Type 3 demo with the NAT type measured beside the prediction (the
 * consent first), and Test from this PC after a run with the inbound step.
 */
async function natScreens(page: Page, app: StartedApp, stun: StunResponder): Promise<void> {
  await startDemo(page, app, /^NAT Type 3/);
  await nav(page, 'Settings');
  const stunField = page.getByTestId('settings-nat').getByLabel('STUN server (host or host:port)');
  await stunField.fill(stun.server);
  await page.getByTestId('settings-stun-save').click();
  await nav(page, 'Troubleshooter');
  await page.getByTestId('diagnose-run').click();
  await expect(page.getByTestId('diagnose-summary')).toBeVisible({ timeout: 30_000 });
  await shot(page, 'troubleshooter', 1100);
  await page.getByTestId('nat-measure').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('stun-consent-server')).toHaveText(stun.server);
  await shot(page, 'nat-consent');
  await dialog.getByTestId('stun-consent-agree').click();
  await expect(page.getByTestId('nat-measured-xbox')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('nat-types').scrollIntoViewIfNeeded();
  await shot(page, 'nat-troubleshooter', 1100);

  await startDemo(page, app, /^Home network/);
  await nav(page, 'Test from this PC');
  await page.getByTestId('selftest-start').click();
  await expect(page.getByTestId('selftest-verdict')).toHaveText('Passed', { timeout: 90_000 });
  await shot(page, 'selftest', 1300);
  const inbound = page.locator('[data-step="inbound"]');
  await inbound.locator('.head').click();
  await inbound.scrollIntoViewIfNeeded();
  await shot(page, 'nat-selftest', 1300);
}

async function main(): Promise<void> {
  mkdirSync(DOCS, { recursive: true });
  const stun = await startStunResponder();
  const app = await startApp('node', ['out/main/web.js']);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
  try {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 900 } });
    await page.emulateMedia({ colorScheme: 'light' });
    await homeScreens(page, app);
    await wizardScreens(page, app);
    await natScreens(page, app, stun);
  } finally {
    await browser.close();
    await app.stop();
    await stun.stop();
  }
}

await main();
