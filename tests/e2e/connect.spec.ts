import { expect, test } from '@playwright/test';
import { startApp, type StartedApp } from './web-host';

let app: StartedApp;

test.beforeAll(async () => {
  app = await startApp('node', ['out/main/web.js']);
});
test.afterAll(async () => app?.stop());

test('a newcomer lands on Connect; one click on "Try the demo router" shows the Overview', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'Connect', exact: true })).toBeVisible();
  await expect(page.getByTestId('router-indicator')).toHaveText('No router');
  await page.screenshot({ path: 'test-results/connect.png', fullPage: true });

  await page.getByTestId('demo-start').click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('ov-identity')).toHaveText('HomeRouter');
  await expect(page.getByTestId('ov-version')).toContainText('7.19');
  await expect(page.getByTestId('ov-upnp')).toHaveText('on');
  await expect(page.getByTestId('router-indicator')).toContainText('HomeRouter');
  await expect(page.getByTestId('ov-notes')).toContainText('cannot be limited to some ports or devices');
  await expect(page.getByTestId('ov-double-nat')).toHaveCount(0);
  expect(Number(await page.getByTestId('ov-mappings').textContent())).toBeGreaterThanOrEqual(12);
  await page.screenshot({ path: 'test-results/overview.png', fullPage: true });
});

test('a saved profile with a wrong address gets a clear error and the Test connection steps', async ({ page }) => {
  await page.goto(app.url);
  await page.getByTestId('profile-add').click();
  await page.getByTestId('pf-name').locator('input').fill('Lab');
  await page.getByTestId('pf-host').locator('input').fill('127.0.0.1');
  await page.getByTestId('pf-port').locator('input').fill('70000');
  await page.getByTestId('pf-save').click();
  await expect(page.getByTestId('profile-form')).toContainText('must be at most 65535');

  await page.getByTestId('pf-port').locator('input').fill('1');
  await page.getByTestId('pf-api').click();
  await page.getByTestId('pf-test').click();
  await expect(page.getByTestId('pf-steps')).toContainText('Reach the router · failed');
  await expect(page.getByTestId('pf-steps')).toContainText('Nothing answers on 127.0.0.1:1');
  await page.screenshot({ path: 'test-results/connect-test-failed.png' });
  await page.getByTestId('pf-save').click();
  await expect(page.getByTestId('profile-Lab')).toBeVisible();
  await page.getByTestId('profile-Lab').getByRole('button', { name: 'Connect' }).click();
  // No password was typed or saved: PortPilot asks for it instead of trying an empty one.
  await page.getByTestId('prompt-password').locator('input').fill('not-the-password');
  await page.getByRole('button', { name: 'Connect', exact: true }).last().click();
  await expect(page.getByTestId('connect-error')).toContainText('Nothing answers on 127.0.0.1:1');
  // Connecting to another router replaces the demo session from the first test; the indicator says so.
  await expect(page.getByTestId('router-indicator')).toHaveText('Disconnected');
  await page.screenshot({ path: 'test-results/connect-error.png' });
});

test('Settings shows the stale-mapping rules and saves a silenced notification', async ({ page }) => {
  await page.goto(`${app.url}#/settings`);
  await expect(page.getByTestId('settings-mappings')).toContainText('24 hours');
  const toggle = page.getByTestId('settings-notify-privileged');
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await page.reload();
  await expect(page.getByTestId('settings-notify-privileged')).toHaveAttribute('aria-checked', 'false');
  await expect(page.getByText('encrypted with a key stored beside them')).toBeVisible();
  await page.screenshot({ path: 'test-results/settings.png', fullPage: true });
});

test('a new router defaults to API-SSL on 8729, and a port that is not a number is a field error', async ({ page }) => {
  await page.goto(app.url);
  const list = page.getByTestId('profile-list');
  // Count only once the saved routers were read (an earlier test may have saved
  // "Lab"): before that the list is empty, and counting then raced the read.
  await expect(list).toHaveAttribute('data-loaded', 'true');
  const saved = list.locator('.n-list-item');
  const before = await saved.count();
  await page.getByTestId('profile-add').click();
  const form = page.getByTestId('profile-form');
  await expect(page.getByTestId('pf-port').locator('input')).toHaveValue('8729');
  await expect(page.getByTestId('pf-api-ssl').locator('input')).toBeChecked();
  await expect(page.getByTestId('pf-transport-help')).toContainText('anonymous Diffie-Hellman');
  await page.getByLabel('Name').fill('Typo');
  await page.getByLabel('Address').fill('192.168.88.1');
  await page.getByTestId('pf-port').locator('input').fill('abc');
  await page.getByTestId('pf-save').click();
  await expect(form.locator('.n-form-item-feedback__line')).toContainText('must be a number from 1 to 65535');
  await page.screenshot({ path: 'test-results/connect-port-abc.png' });
  // Escape closes the dialog; nothing was saved.
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
  await expect(saved).toHaveCount(before);
  await expect(page.getByTestId('profile-Typo')).toHaveCount(0);
});

test('Connect shows the current connection; Disconnect asks first, and Escape keeps it', async ({ page }) => {
  await page.goto(app.url);
  await page.getByTestId('demo-start').click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible({ timeout: 20_000 });
  await page.getByRole('navigation').getByRole('link', { name: 'Connect', exact: true }).click();
  const current = page.getByTestId('current-connection');
  await expect(page.getByTestId('current-router')).toContainText('HomeRouter');
  await expect(page.getByTestId('current-state')).toHaveText('connected');
  await page.getByTestId('disconnect').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Disconnect from HomeRouter?');
  await page.screenshot({ path: 'test-results/connect-disconnect-confirm.png' });
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('current-state')).toHaveText('connected');
  await page.getByTestId('disconnect').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Disconnect', exact: true }).click();
  await expect(page.getByTestId('current-none')).toBeVisible();
  await expect(page.getByTestId('router-indicator')).toHaveText('No router');
  await expect(current).not.toContainText('HomeRouter');
});

test('Overview flags a private Internet address (double NAT) and links to the Troubleshooter', async ({ page }) => {
  await page.goto(app.url);
  await page.getByTestId('demo-scenario').click();
  await page.locator('.n-base-select-option', { hasText: /^NAT Type 3/ }).click();
  await page.getByTestId('demo-start').click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible({ timeout: 20_000 });
  const hint = page.getByTestId('ov-double-nat');
  await expect(hint).toContainText('is a private address');
  await expect(hint).toContainText('double NAT');
  await page.screenshot({ path: 'test-results/overview-double-nat.png', fullPage: true });
  await hint.getByRole('link', { name: 'Check it in the Troubleshooter' }).click();
  await expect(page.getByRole('heading', { name: 'Troubleshooter' })).toBeVisible();
  // After switching scenario, one sidebar entry is the current screen.
  await expect(page.locator('.n-menu-item-content--selected')).toHaveCount(1);
});
