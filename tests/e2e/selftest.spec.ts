import { expect, test } from '@playwright/test';
import { selfTestStepIds } from '../../shared/domains/selftest';
import { startApp, type StartedApp } from './web-host';

let app: StartedApp;

test.beforeAll(async () => {
  app = await startApp('node', ['out/main/web.js']);
});
test.afterAll(async () => app?.stop());

// Every step the contract declares must show and pass.
const STEPS = selfTestStepIds;

test('Test from this PC against the demo router: every step passes live, and the report can be copied', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.url).origin });
  await page.goto(app.url);
  await page.getByTestId('demo-start').click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('navigation').getByText('Test from this PC', { exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Test from this PC' })).toBeVisible();
  await expect(page.getByTestId('selftest-no-router')).toHaveCount(0);

  await page.getByTestId('selftest-start').click();
  const list = page.getByTestId('selftest-steps');
  await expect(list.locator('[data-step]')).toHaveCount(STEPS.length);
  await expect(page.getByTestId('selftest-verdict')).toHaveText('Passed', { timeout: 60_000 });
  for (const id of STEPS) await expect(list.locator(`[data-step="${id}"]`)).toHaveAttribute('data-status', 'pass');
  await expect(list.locator('[data-step="igd-verify-router"]')).toContainText('the router holds a dynamic dstnat rule');

  // Evidence opens on click: the dynamic NAT rule with the comment RouterOS gives UPnP mappings.
  await list.locator('[data-step="igd-verify-router"] .head').click();
  await expect(list.locator('[data-step="igd-verify-router"]')).toContainText(
    'comment="upnp 127.0.0.1: PortPilot self-test',
  );
  await page.screenshot({ path: 'test-results/selftest-demo-passed.png', fullPage: true });
  // One "Show report" button; the gateway URL field was left empty, so it was not "given by hand".
  await expect(page.getByRole('button', { name: 'Show report' })).toHaveCount(1);
  await list.locator('[data-step="discover"] .head').click();
  await expect(list.locator('[data-step="discover"]')).toContainText('the demo router’s root description URL');
  await expect(list.locator('[data-step="discover"]')).not.toContainText('given by hand');

  await page.getByTestId('selftest-copy').click();
  const copied = String(await page.evaluate('navigator.clipboard.readText()'));
  expect(copied).toMatch(/^PortPilot — Test from this PC — PASSED/);
  expect(copied).toContain('[PASS] See it on the router');
  expect(copied).toContain('[PASS] Map a port (NAT-PMP)');
});

test('bad options are refused with the field named, and nothing runs', async ({ page }) => {
  await page.goto(app.url);
  await page.getByRole('navigation').getByText('Test from this PC', { exact: true }).click();
  await page.getByTestId('selftest-natpmp-gateway').locator('input').fill('999.1.1.1');
  await page.getByTestId('selftest-start').click();
  await expect(page.getByTestId('selftest-error')).toContainText('IPv4');
});

test('behind an ISP box (nat-type-3 demo) the test fails and explains double NAT', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(app.url);
  await page.getByTestId('demo-scenario').click();
  await page.locator('.n-base-select-option', { hasText: /NAT Type 3/ }).click();
  await page.getByTestId('demo-start').click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('navigation').getByText('Test from this PC', { exact: true }).click();
  await page.getByTestId('selftest-start').click();
  await expect(page.getByTestId('selftest-verdict')).toHaveText('Failed', { timeout: 60_000 });
  const step = page.locator('[data-step="external-ip"]');
  await expect(step).toHaveAttribute('data-status', 'fail');
  await expect(step).toContainText('192.168.1.37');
  await expect(step.getByTestId('selftest-next')).toContainText('bridge mode');
  const finding = page.locator('[data-finding="double-nat"]');
  await expect(finding).toContainText('Double NAT');
  await expect(page.locator('[data-step="cleanup"]')).toHaveAttribute('data-status', 'pass');
  await finding.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/selftest-demo-double-nat.png' });
});
