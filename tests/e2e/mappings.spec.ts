import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { startApp, type StartedApp } from './web-host';

const run = promisify(execFile);
let app: StartedApp;

test.beforeAll(async () => {
  app = await startApp('node', ['out/main/web.js']);
});
test.afterAll(async () => app?.stop());

/** The embedded demo router logs where its IGD face listens (loopback, random port). */
function igdUrl(): string {
  for (const line of [...app.output].reverse()) {
    const m = /igd: listening (http:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(line);
    if (m?.[1]) return m[1].replace(/,$/, '');
  }
  throw new Error(`no IGD URL in the output:\n${app.output.join('\n')}`);
}

test('home scenario: live mappings with host names, upnpc adds one without reload, cleanup removes the stale ones', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(app.url);
  await page.getByTestId('demo-start').click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('navigation').getByText('Mappings', { exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Mappings' })).toBeVisible();
  const table = page.getByTestId('mappings-table');
  await expect(table).toContainText('PS5-Living-Room', { timeout: 15_000 });
  await expect(table).toContainText('plex-server');
  await expect(page.getByTestId('mappings-count')).toContainText('16 mappings');
  await page.screenshot({ path: 'test-results/mappings-home.png', fullPage: true });

  const { stdout } = await run('upnpc', [
    '-u',
    igdUrl(),
    '-e',
    'e2e-upnpc',
    '-a',
    '127.0.0.1',
    '45123',
    '45123',
    'TCP',
  ]);
  expect(stdout).toMatch(/is redirected to internal 127\.0\.0\.1:45123/);
  await expect(table).toContainText('e2e-upnpc', { timeout: 10_000 });
  await expect(page.getByTestId('mappings-count')).toContainText('17 mappings');
  await page.screenshot({ path: 'test-results/mappings-upnpc-added.png', fullPage: true });

  await page.getByTestId('mappings-search').locator('input').fill('old-laptop');
  await expect(table).toContainText('51413');
  await expect(table).not.toContainText('PS5-Living-Room');
  await page.getByTestId('mappings-search').locator('input').fill('');

  await page.getByTestId('cleanup-open').click();
  const candidates = page.getByTestId('cleanup-candidate');
  // The four of hosts that left days ago, and the upnpc one: 127.0.0.1 is in no internal subnet.
  await expect(candidates).toHaveCount(5);
  await expect(page.getByTestId('cleanup-dialog')).toContainText('PS4-Bedroom left the network 9 days ago');
  await expect(page.getByTestId('cleanup-dialog')).toContainText('127.0.0.1 is in no internal subnet');
  await page.screenshot({ path: 'test-results/mappings-cleanup-preview.png', fullPage: true });
  await page.getByTestId('cleanup-confirm').click();
  const summary = page.getByTestId('cleanup-summary');
  await expect(summary).toBeVisible({ timeout: 30_000 });
  // RouterOS 7 (demo profile routeros7) refuses dynamic-rule removal and IGD delete of another host's
  // mapping (606): the summary says so and offers the confirmed service restart. The upnpc mapping is
  // this PC's own, so IGD DeletePortMapping from here removes it.
  await expect(summary).toContainText('removed 1');
  await expect(summary).toContainText('failed 4');
  await expect(summary).toContainText('igd-delete');
  await expect(summary).toContainText('nat-rule-remove');
  await page.screenshot({ path: 'test-results/mappings-cleanup-summary.png', fullPage: true });
  await page.getByTestId('restart-upnp').click();
  await page.getByTestId('restart-upnp-confirm').click();
  await page.keyboard.press('Escape');
  await expect(table).not.toContainText('old-laptop', { timeout: 15_000 });
  await expect(table).not.toContainText('PS4-Bedroom');
  await expect(table).toContainText('PS5-Living-Room', { timeout: 15_000 });
  await page.screenshot({ path: 'test-results/mappings-after-cleanup.png', fullPage: true });
});
