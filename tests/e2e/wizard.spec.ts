import { expect, test, type Page } from '@playwright/test';
import { startApp, type StartedApp } from './web-host';

let app: StartedApp;
// Tall enough that each wizard step fits in one screenshot (the content pane scrolls on its own).
test.use({ viewport: { width: 1280, height: 1500 } });

// A fresh app per test: the embedded demo router (and its configuration) lives as long as the app.
test.beforeEach(async () => {
  app = await startApp('node', ['out/main/web.js']);
});
test.afterEach(async () => app?.stop());
test.setTimeout(120_000);

async function startDemo(page: Page, profile: RegExp, scenario: RegExp): Promise<void> {
  await page.goto(app.url);
  await page.getByTestId('demo-profile').click();
  await page.locator('.n-base-select-option', { hasText: profile }).click();
  await page.getByTestId('demo-scenario').click();
  await page.locator('.n-base-select-option', { hasText: scenario }).click();
  await page.getByTestId('demo-start').click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible({ timeout: 20_000 });
}

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/wizard-${name}.png`, fullPage: true });

test('the setup wizard takes the fresh demo router (permission lists) from nothing to a verified, restricted setup', async ({
  page,
}) => {
  const consoleErrors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
  await startDemo(page, /^With UPnP permission/, /^Fresh router/);
  await page.getByRole('navigation').getByText('Setup wizard', { exact: true }).click();
  const next = page.getByTestId('wizard-next');

  // 1. Detect
  await expect(page.getByTestId('internal-bridge-lan')).toContainText('DHCP server');
  await expect(page.getByTestId('external-ether1')).toContainText('default route');
  await expect(page.getByTestId('external-ether1')).toContainText('81.2.69.142');
  await shot(page, '1-detect');
  await next.click();

  // 2. Roles
  await expect(page.getByTestId('wizard-step-2').getByRole('checkbox')).toBeChecked();
  await shot(page, '2-roles');
  await next.click();

  // 3. Restrictions: the settings text names only what changes (the fresh router differs only in "on").
  await expect(page.getByTestId('wizard-settings-changes')).toHaveText(
    'PortPilot will turn UPnP on. The other UPnP settings are already as recommended.',
  );
  await expect(page.getByTestId('security-high-ports').locator('input')).toBeChecked();
  await shot(page, '3-security');
  await next.click();

  // 4. Devices (from the DHCP leases, vendor from the MAC); pin the laptop as a Plex server
  await expect(page.getByText('alex-laptop')).toBeVisible();
  await expect(page.getByText(/Intel/).first()).toBeVisible();
  await page.getByTestId('preset-192.168.88.30').click();
  await page.locator('.n-base-select-option', { hasText: 'Plex (server)' }).click();
  await shot(page, '4-devices');
  await next.click();

  // 5. NAT-PMP
  await expect(page.getByTestId('natpmp-switch')).toBeVisible();
  await shot(page, '5-natpmp');
  await next.click();

  // 6. Review: the plan in words, the commands on request, with the flush warning
  const preview = page.getByTestId('plan-preview');
  await expect(preview).toContainText('Turn UPnP on');
  const commands = preview.locator('ol code');
  await expect(commands).toHaveCount(0);
  await page.getByTestId('plan-show-commands').click();
  await expect(commands.filter({ hasText: /^\/ip upnp set enabled=yes$/ })).toBeVisible();
  await expect(preview).toContainText(
    '/ip upnp permissions add action=allow interface=ether1 protocol=tcp dst-port=32400 internal-address=192.168.88.30 comment="Plex server"',
  );
  await expect(page.getByTestId('plan-warning').first()).toContainText('restarts the UPnP service');
  await shot(page, '6-review');
  await expect(next).toContainText(/Apply \d+ changes/);
  await next.click();

  // 7. Apply with progress → report
  await expect(page.getByTestId('plan-report')).toContainText(/Applied \d+ step/, { timeout: 20_000 });
  await expect(page.getByTestId('step-status').first()).toHaveText('applied');
  await shot(page, '7-apply');
  await next.click();

  // 8. Check: the three tables, in words; the RouterOS commands behind them on request
  await expect(page.getByTestId('verify-ok')).toContainText('permission rules');
  await expect(page.getByTestId('verify-interfaces')).toContainText('bridge-lan');
  await expect(page.getByTestId('verify-interfaces')).toContainText('Internet (external)');
  await expect(page.getByRole('heading', { name: /^\// })).toHaveCount(0);
  await expect(page.getByTestId('verify-dynamic-rules')).toContainText('Rules the router created for them');
  await expect(page.getByRole('link', { name: 'Test from this PC' }).last()).toBeVisible();
  await shot(page, '8-verify');

  // Running the wizard again on the now configured router: nothing to do.
  await page.getByTestId('wizard-restart').click();
  // The laptop's Plex rules are in force, so the wizard suggests Plex for it again.
  for (let i = 0; i < 3; i++) await next.click();
  await expect(page.getByTestId('preset-192.168.88.30')).toContainText('Plex (server)');
  for (let i = 0; i < 2; i++) await next.click();
  await expect(page.getByTestId('plan-empty')).toBeVisible();
  await shot(page, '9-again-nothing-to-do');
  expect(consoleErrors).toEqual([]);
});

test('configuration screen: a bad port is refused with a field error; RouterOS 7 explains the missing permissions menu', async ({
  page,
}) => {
  await startDemo(page, /^RouterOS 7/, /^Home network/);
  await page.getByRole('navigation').getByText('Configuration', { exact: true }).click();
  await page.getByTestId('settings-recommended').click();
  await expect(page.getByTestId('plan-empty')).toBeVisible();
  await shot(page, 'config-settings');
  await page.locator('.n-tabs-tab', { hasText: 'Interfaces' }).click();
  await expect(page.getByText('Internet: the default route goes out through it').first()).toBeVisible();
  // Making the WAN internal warns before anything is planned, and the plan repeats it.
  await page.locator('.n-select').first().click();
  await page.locator('.n-base-select-option', { hasText: 'home network (internal)' }).click();
  await expect(page.getByText(/ether1 faces the Internet/).first()).toBeVisible();
  await shot(page, 'config-interfaces');
  await page.locator('.n-tabs-tab', { hasText: 'Permissions' }).click();
  await expect(page.getByText('This router cannot refuse a UPnP request by port')).toBeVisible();
  await page.getByTestId('preset-high-ports').click();
  await page.getByTestId('perm-preview').click();
  await page.getByTestId('plan-show-commands').click();
  await expect(page.getByTestId('plan-preview')).toContainText('connection-nat-state=dstnat');
  await shot(page, 'config-permissions-routeros7');
  await page.getByTestId('plan-apply').click();
  await expect(page.getByTestId('plan-report')).toContainText('Applied 2 steps');

  await page.locator('.n-tabs-tab', { hasText: 'Port forwards' }).click();
  await page.getByTestId('fwd-port').locator('input').fill('70000');
  await page.getByTestId('fwd-address').locator('input').fill('192.168.88.10');
  await page.getByTestId('fwd-preview').click();
  await expect(page.locator('.n-form-item-feedback__line', { hasText: 'port 70000 is out of range' })).toBeVisible();
  await expect(page.getByTestId('config-error')).toContainText('Nothing was sent to the router');
  await shot(page, 'config-forward-error');
});

test('RouterOS 7: a re-run with the defaults plans nothing, Steam says why it adds nothing, the script has a real name, and the setup can be undone', async ({
  page,
}) => {
  await startDemo(page, /^RouterOS 7/, /^Fresh router/);
  const nav = (name: string) => page.getByRole('navigation').getByText(name, { exact: true }).click();
  await nav('Setup wizard');
  const next = page.getByTestId('wizard-next');
  // Configuration does not show the wizard's plan (plans belong to their screen).
  for (let i = 0; i < 5; i++) await next.click();
  await expect(page.getByTestId('plan-preview')).toBeVisible();
  await nav('Configuration');
  await expect(page.getByTestId('settings-recommended')).toBeVisible();
  await expect(page.getByTestId('plan-preview')).toHaveCount(0);
  await nav('Setup wizard');

  for (let i = 0; i < 3; i++) await next.click();
  // 4. Devices: Steam for the laptop (Steam's ports are all above 1023).
  await page.getByTestId('preset-192.168.88.30').click();
  await page.locator('.n-base-select-option', { hasText: 'Steam (games)' }).click();
  for (let i = 0; i < 2; i++) await next.click();
  // 6. Review: the note says why Steam adds no rule.
  await expect(page.getByTestId('plan-note')).toContainText('alex-laptop (Steam): nothing to add');
  // The saved script is named after the change, the router and the day — never "…-.rsc".
  await page.getByText('The whole change as a RouterOS script (.rsc)').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save as .rsc' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^portpilot-setup-mikrotik-\d{4}-\d{2}-\d{2}\.rsc$/);
  await shot(page, 'r7-review-steam');

  // Apply, check, run again with the defaults: Steam is remembered and nothing is planned.
  await next.click();
  await expect(page.getByTestId('plan-report')).toContainText(/Applied \d+ steps/, { timeout: 20_000 });
  await next.click();
  await expect(page.getByTestId('verify-ok')).toBeVisible({ timeout: 20_000 });
  await page.getByTestId('wizard-restart').click();
  for (let i = 0; i < 3; i++) await next.click();
  await expect(page.getByTestId('preset-192.168.88.30')).toContainText('Steam (games)');
  for (let i = 0; i < 2; i++) await next.click();
  await expect(page.getByTestId('plan-empty')).toBeVisible();
  await shot(page, 'r7-again-nothing-to-do');

  // Undo: a fresh run applies again, then "Undo this setup" restores the router as it was.
  await nav('Configuration');
  await page.getByTestId('set-enabled').click();
  await page.getByRole('button', { name: 'Preview my changes' }).click();
  await page.getByTestId('plan-apply').click();
  await expect(page.getByTestId('plan-report')).toContainText('Applied 1 step', { timeout: 20_000 });
  await nav('Setup wizard');
  for (let i = 0; i < 6; i++) await next.click();
  await expect(page.getByTestId('plan-report')).toContainText('Applied 1 step', { timeout: 20_000 });
  await page.getByTestId('wizard-undo').click();
  await expect(page.getByTestId('plan-report')).toContainText('Undone: 1 step rolled back', { timeout: 20_000 });
  await expect(page.getByTestId('wizard-undo')).toHaveCount(0);
  await shot(page, 'r7-undone');
  await page.getByTestId('wizard-restart').click();
  for (let i = 0; i < 5; i++) await next.click();
  await expect(page.getByTestId('plan-preview')).toContainText('Turn UPnP on');
});
