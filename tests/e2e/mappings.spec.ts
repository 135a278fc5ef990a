import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { standaloneDemo } from './standalone-demo';
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

async function openMappings(page: Page): Promise<void> {
  await page.getByRole('navigation').getByText('Mappings', { exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Mappings' })).toBeVisible();
}

test('home scenario (strictest RouterOS 7): live mappings, upnpc adds one, the cleanup plan says who loses what, the summary is grouped', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(app.url);
  await page.getByTestId('demo-start').click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible({ timeout: 30_000 });
  await openMappings(page);
  const table = page.getByTestId('mappings-table');
  await expect(table).toContainText('PS5-Living-Room', { timeout: 15_000 });
  await expect(table).toContainText('plex-server');
  await expect(page.getByTestId('mappings-count')).toContainText('16 mappings');
  // "Known for": the mapping of a laptop that left six days ago is not "8 s" old.
  await expect(table.locator('thead')).toContainText('Known for');
  await page.getByTestId('mappings-search').locator('input').fill('old-laptop');
  await expect(table.locator('tbody tr').first()).toContainText(/6d \d+h/);
  await page.getByTestId('mappings-search').locator('input').fill('');
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

  await page.getByTestId('cleanup-open').click();
  const dialog = page.getByTestId('cleanup-dialog');
  // The four of hosts that left days ago, and the upnpc one (127.0.0.1 is in no internal subnet), by device.
  await expect(page.getByTestId('cleanup-device')).toHaveCount(4);
  await expect(dialog).toContainText('PS4-Bedroom left the network 9 days ago');
  await expect(dialog).toContainText('127.0.0.1 is in no internal subnet');
  const plan = page.getByTestId('cleanup-plan');
  // The preview names the strategy before anything happens, and who would lose a mapping.
  await expect(plan).toContainText(
    'If the router refuses, PortPilot will restart UPnP, which drops all 15 UPnP mappings',
  );
  await expect(plan).toContainText('this router does not let PortPilot map a port on behalf of another device');
  await expect(plan).toContainText('PS5-Living-Room (2)');
  await expect(plan).toContainText('The 2 NAT-PMP mappings are not touched');
  const confirm = page.getByTestId('cleanup-confirm');
  await expect(confirm).toBeDisabled();
  await page.screenshot({ path: 'test-results/mappings-cleanup-preview.png', fullPage: true });

  // Unticking a device re-plans.
  await page.getByTestId('cleanup-device').filter({ hasText: 'PS4-Bedroom' }).locator('.n-checkbox').click();
  await expect(confirm).toContainText('Remove 4 mappings');
  await page.getByTestId('cleanup-device').filter({ hasText: 'PS4-Bedroom' }).locator('.n-checkbox').click();
  await expect(confirm).toContainText('Remove 5 mappings (restart UPnP if refused): 10 not restored');

  await page.getByTestId('cleanup-accept-loss').click();
  await confirm.click();
  const summary = page.getByTestId('cleanup-summary');
  await expect(summary).toBeVisible({ timeout: 30_000 });
  // This PC's own upnpc mapping goes with a UPnP request from here; the rest with the restart.
  await expect(page.getByTestId('cleanup-summary-line')).toContainText('removed 5 · restored 0');
  await expect(summary).toContainText('Removed (4): dropped by the UPnP restart');
  await expect(summary).toContainText('Removed (1): deleted with a UPnP request from this computer');
  await expect(summary).toContainText('Each device gets its mapping back when it asks for it again');
  await page.screenshot({ path: 'test-results/mappings-cleanup-summary.png', fullPage: true });
  await page.getByText(/^Removed \(4\)/).click();
  await expect(summary).toContainText('UDP 9307 → PS4-Bedroom (192.168.88.52)');
  await page.screenshot({ path: 'test-results/mappings-cleanup-summary-open.png', fullPage: true });
  await page.keyboard.press('Escape');

  // The list agrees with the router: the stale ones are gone, the consoles map again by themselves.
  await expect(table).not.toContainText('old-laptop', { timeout: 15_000 });
  await expect(table).not.toContainText('PS4-Bedroom');
  await expect(table).not.toContainText('e2e-upnpc');
  await expect(page.getByTestId('mappings-count')).toContainText('12 mappings', { timeout: 30_000 });
  await expect(table).toContainText('PS5-Living-Room');
  await page.screenshot({ path: 'test-results/mappings-after-cleanup.png', fullPage: true });
});

test('a row’s Remove asks first and says what removing it means on this router', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('router-indicator')).toContainText('HomeRouter', { timeout: 30_000 });
  await openMappings(page);
  const table = page.getByTestId('mappings-table');
  await expect(table).toContainText('plex-server', { timeout: 15_000 });
  await table.getByRole('button', { name: 'Actions for TCP 32400 (plex-server)' }).click();
  await page.getByTestId('row-menu').getByRole('menuitem', { name: 'Remove…' }).click();
  const dialog = page.getByTestId('cleanup-dialog');
  await expect(dialog).toContainText('Remove TCP 32400 → plex-server?');
  // Learnt in the first test: this router removes nothing singly, so removing one restarts UPnP.
  await expect(page.getByTestId('cleanup-plan')).toContainText(
    'This router does not let PortPilot remove single UPnP mappings. PortPilot will restart UPnP',
  );
  await page.screenshot({ path: 'test-results/mappings-remove-one.png', fullPage: true });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(table).toContainText('plex-server');
});

test('CSV export: what is shown, and a description that a spreadsheet would run stays text', async ({ page }) => {
  await page.goto(app.url);
  // Connected since the first test; alone (`-g CSV`), it starts the demo router itself.
  const indicator = page.getByTestId('router-indicator');
  await expect(indicator)
    .toContainText('HomeRouter', { timeout: 5000 })
    .catch(() => page.getByTestId('demo-start').click());
  await expect(page.getByTestId('router-indicator')).toContainText('HomeRouter', { timeout: 30_000 });
  // A LAN device names its mapping like a spreadsheet formula.
  await run('upnpc', ['-u', igdUrl(), '-e', '=HYPERLINK("http://x","y")', '-a', '127.0.0.1', '45124', '45124', 'UDP']);
  await openMappings(page);
  const table = page.getByTestId('mappings-table');
  await expect(table).toContainText('=HYPERLINK', { timeout: 15_000 });
  await page.getByTestId('mappings-search').locator('input').fill('hyperlink');
  await expect(page.getByTestId('mappings-count')).toContainText(/^1 of \d+ mappings · live$/);
  const download = page.waitForEvent('download');
  await page.getByTestId('mappings-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^portpilot-mappings-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/);
  const text = (await readFile(await file.path())).toString('utf8').replace(/^\uFEFF/, '');
  const lines = text.split('\r\n');
  expect(lines[0]).toMatch(/^Protocol,Public port,Device,Address,MAC address,Vendor,/);
  expect(lines).toHaveLength(3); // header, the one row shown, and the final line break
  expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
});

test('a router that restores on behalf of devices (--foreign-add allow): restart UPnP, restore the 10 kept, summary "removed 4 · restored 10"', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const demo = await standaloneDemo(['--foreign-add', 'allow']);
  try {
    await page.goto(app.url);
    await page.getByTestId('profile-add').click();
    await page.getByTestId('pf-name').locator('input').fill('Lab');
    await page.getByTestId('pf-host').locator('input').fill('127.0.0.2');
    // The standalone demo speaks plain API; a new profile defaults to API-SSL (issue 13).
    await page.getByTestId('pf-api').click();
    await page.getByTestId('pf-port').locator('input').fill(String(demo.apiPort));
    await page.getByTestId('pf-user').locator('input').fill('admin');
    await page.getByTestId('pf-password').locator('input').fill('pw');
    await page.getByTestId('pf-save').click();
    await page.getByTestId('profile-Lab').getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible({ timeout: 30_000 });
    await openMappings(page);
    await expect(page.getByTestId('mappings-count')).toContainText('16 mappings', { timeout: 30_000 });
    const plan = page.getByTestId('cleanup-plan');
    // PortPilot finds a real router's IGD after connecting (SSDP, then RouterOS's :2828/gateway.xml).
    await expect(async () => {
      if (await page.getByTestId('cleanup-dialog').isVisible()) await page.keyboard.press('Escape');
      await page.getByTestId('cleanup-open').click();
      await expect(plan).toContainText('and at once restore the 10 that are still in use', { timeout: 2000 });
    }).toPass({ timeout: 20_000 });
    await expect(plan).toContainText(
      'PortPilot will restart UPnP, which drops all 14 UPnP mappings, and at once restore the 10 that are still in use on behalf of their devices.',
    );
    await expect(page.getByTestId('cleanup-accept-loss')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/mappings-cleanup-restore-preview.png', fullPage: true });
    await page.getByTestId('cleanup-confirm').click();
    await expect(page.getByTestId('cleanup-summary-line')).toHaveText('removed 4 · restored 10', { timeout: 30_000 });
    await page.screenshot({ path: 'test-results/mappings-cleanup-restore-summary.png', fullPage: true });
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('mappings-count')).toContainText('12 mappings', { timeout: 15_000 });
    await expect(page.getByTestId('mappings-table')).not.toContainText('old-laptop');
  } finally {
    await demo.stop();
  }
});
