import { expect, test } from '@playwright/test';
import { startApp, type StartedApp } from './web-host';

let app: StartedApp;

test.beforeAll(async () => {
  // Exactly what a newcomer runs. Electron's binary cannot be downloaded here, so it must fall back.
  app = await startApp('npm', ['start']);
});
test.afterAll(async () => app?.stop());

test('npm start falls back to web mode with one clear sentence and prints the URL last', () => {
  const fallback = app.output.find((line) => line.includes('starting in web mode instead'));
  expect(fallback, app.output.join('\n')).toMatch(
    /desktop app cannot start on this machine because Electron cannot run/,
  );
  const readyIndex = app.output.findIndex((line) => line.startsWith('PortPilot web mode is ready'));
  expect(app.output[readyIndex + 1]).toBe(app.url);
});

test('the shell loads, the app domain round-trips and the tick event updates the UI', async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
  await page.goto(app.url);
  await expect(page.getByTestId('info-version')).toHaveText(/^\d+\.\d+\.\d+/);
  await expect(page.getByTestId('info-transport')).toHaveText('WebSocket (web mode)');
  await expect(page.getByTestId('backend-state')).toHaveText('Web mode');

  const firstTick = Number(await page.getByTestId('tick-seq').textContent());
  await expect
    .poll(async () => Number(await page.getByTestId('tick-seq').textContent()), { timeout: 5000 })
    .toBeGreaterThan(firstTick);

  await page.getByTestId('echo-input').locator('input').fill('ping from chromium');
  await page.getByTestId('echo-button').click();
  await expect(page.getByTestId('echo-reply')).toHaveText('ping from chromium (18 characters)');

  for (const title of [
    'Connect',
    'Overview',
    'Mappings',
    'Setup wizard',
    'Troubleshooter',
    'Test from this PC',
    'Settings',
  ]) {
    await expect(page.getByRole('navigation').getByText(title, { exact: true })).toBeVisible();
  }
  await page.screenshot({ path: 'test-results/shell-connect.png', fullPage: true });
  expect(consoleErrors).toEqual([]);
});

test('the page keeps working after the token cookie is set (reload without the token)', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('info-version')).toBeVisible();
  await page.goto(new URL('/#/overview', app.url).toString());
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/shell-overview-dark.png' });
});
