import { expect, test } from '@playwright/test';
import { startApp, type StartedApp } from './web-host';

let app: StartedApp;

test.beforeAll(async () => {
  app = await startApp('node', ['out/main/web.js']);
});
test.afterAll(async () => app?.stop());

test('a newcomer lands on Connect; one click on "Try the demo router" shows the Overview', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'Connect' })).toBeVisible();
  await expect(page.getByTestId('router-indicator')).toHaveText('No router');
  await page.screenshot({ path: 'test-results/connect.png', fullPage: true });

  await page.getByTestId('demo-start').click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('ov-identity')).toHaveText('HomeRouter');
  await expect(page.getByTestId('ov-version')).toContainText('7.19');
  await expect(page.getByTestId('ov-upnp')).toHaveText('enabled');
  await expect(page.getByTestId('router-indicator')).toContainText('HomeRouter');
  await expect(page.getByTestId('ov-notes')).toContainText('no /ip upnp permissions menu');
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
  await page.getByTestId('pf-test').click();
  await expect(page.getByTestId('pf-steps')).toContainText('TCP · fail');
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
