import { expect, test } from '@playwright/test';
import { createServer, type AddressInfo } from 'node:net';
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

test('the shell: one connection signal in the header, no developer leftovers, the sidebar as links', async ({
  page,
}) => {
  const consoleErrors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
  await page.goto(app.url);
  await expect(page.getByTestId('router-indicator')).toHaveText('No router');
  await expect(page.getByTestId('backend-state')).toHaveText('Web mode');
  await expect(page.getByTestId('app-version')).toHaveText(/^v\d+\.\d+\.\d+/);
  // Issue 13: no heartbeat counter, no Echo card.
  await expect(page.getByText('♥')).toHaveCount(0);
  await expect(page.getByText('Echo', { exact: true })).toHaveCount(0);

  const nav = page.getByRole('navigation', { name: 'Screens' });
  for (const title of [
    'Connect',
    'Overview',
    'Mappings',
    'Setup wizard',
    'Configuration',
    'Troubleshooter',
    'Security audit',
    'Test from this PC',
    'Settings',
  ]) {
    await expect(nav.getByRole('link', { name: title, exact: true })).toBeVisible();
  }
  // Keyboard: the links take focus and Enter follows them; exactly one entry is the current screen.
  await nav.getByRole('link', { name: 'Overview', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Overview', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
  await expect(page.locator('.n-menu-item-content--selected')).toHaveCount(1);

  await nav.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByTestId('info-version')).toHaveText(/^\d+\.\d+\.\d+/);
  await expect(page.getByTestId('info-transport')).toHaveText('web mode (in this browser tab)');
  await page.screenshot({ path: 'test-results/shell-settings.png', fullPage: true });
  expect(consoleErrors).toEqual([]);
});

test('the theme setting: system, light or dark, applied app-wide and kept across a reload', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(app.url); // sets the token cookie
  await page.goto(new URL('/#/settings', app.url).toString());
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.getByTestId('theme-dark').click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  // Naive UI's dark body (#101014), once its colour transition is over.
  const background = () => page.evaluate('getComputedStyle(document.body).backgroundColor');
  await expect.poll(background).toBe('rgb(16, 16, 20)');
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect.poll(background).toBe('rgb(16, 16, 20)');
  await page.screenshot({ path: 'test-results/shell-settings-dark.png', fullPage: true });
  // "Like my system" follows the system again, live.
  await page.getByTestId('theme-system').click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('theme-light').click();
  await expect(html).toHaveAttribute('data-theme', 'light');
});

test('the page keeps working after the token cookie is set (reload without the token)', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('backend-state')).toHaveText('Web mode');
  await page.goto(new URL('/#/overview', app.url).toString());
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/shell-overview-dark.png' });
});

test('a tab whose server restarted says so and how to reopen; it reconnects once the new address is opened', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const port = await freePort();
  let first: StartedApp | null = await startApp('node', ['out/main/web.js', '--port', String(port)]);
  try {
    await page.goto(first.url);
    await expect(page.getByTestId('backend-state')).toHaveText('Web mode');
    await first.stop();
    first = null;
    // Nothing answers: "reconnecting", then that the server stopped.
    await expect(page.getByTestId('backend-banner')).toContainText('PortPilot stopped', { timeout: 30_000 });
    const second = await startApp('node', ['out/main/web.js', '--port', String(port)]);
    try {
      // The same address answers again, with a new token: not "reconnecting" forever.
      await expect(page.getByTestId('backend-banner')).toContainText('PortPilot restarted', { timeout: 30_000 });
      await expect(page.getByTestId('backend-banner')).toContainText('Open the new address it printed');
      await expect(page.getByTestId('router-indicator')).toHaveText('PortPilot restarted');
      await page.screenshot({ path: 'test-results/shell-server-restarted.png' });
      // Opening the new address (another tab, same browser) gives this one the new token too.
      const other = await context.newPage();
      await other.goto(second.url);
      await expect(page.getByTestId('backend-banner')).toHaveCount(0, { timeout: 30_000 });
      await expect(page.getByTestId('router-indicator')).toHaveText('No router');
      await other.close();
    } finally {
      await second.stop();
    }
  } finally {
    await first?.stop();
  }
});

/** A TCP port nothing listens on now (the restart test needs the same port twice). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
