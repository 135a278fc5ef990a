/**
 * Accessibility (issue 13): axe-core on every screen of the demo router, and on the dialogs and menus
 * they open, in the light and the dark theme; any serious or critical violation fails. Plus the
 * keyboard: Tab reaches the table's rows and their menu, Escape closes menus and dialogs, focus shows.
 *
 * The theme: the app follows the operating system's colour scheme, so each theme is the page's
 * emulated `prefers-color-scheme` (a theme setting may come on top; the OS scheme stays the default).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { standaloneDemo, type StandaloneDemo } from './standalone-demo';
import { startApp, type StartedApp } from './web-host';

let app: StartedApp;
let demo: StandaloneDemo;
test.describe.configure({ timeout: 300_000 });

test.beforeEach(async () => {
  app = await startApp('node', ['out/main/web.js']);
  demo = await standaloneDemo(['--scenario', 'home']);
});
test.afterEach(async () => {
  await app?.stop();
  await demo?.stop();
});

interface Finding {
  screen: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Runs axe on the page as it is; keeps the serious and critical violations under the screen's name. */
async function scan(page: Page, screen: string, found: Finding[]): Promise<void> {
  // Transitions end first: axe reads colours, and a fading element has none yet.
  await page.waitForTimeout(400);
  const result = await new AxeBuilder({ page }).analyze();
  for (const v of result.violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') continue;
    found.push({
      screen,
      rule: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    });
  }
}

const nav = (page: Page, title: string) => page.getByRole('navigation').getByText(title, { exact: true }).click();

async function visit(page: Page, title: string): Promise<void> {
  await nav(page, title);
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
}

/**
 * Escape must close what is open (a dialog, a menu). A failure is a finding like axe's, so one run lists
 * every screen's; `orElse` closes it another way so the walk goes on.
 */
async function escapeCloses(page: Page, what: Locator, screen: string, found: Finding[], orElse: () => Promise<void>) {
  await page.keyboard.press('Escape');
  try {
    await expect(what).toBeHidden({ timeout: 3000 });
  } catch {
    found.push({ screen, rule: 'keyboard-escape', impact: 'serious', help: 'Escape does not close it', targets: [] });
    await orElse();
    await expect(what).toBeHidden();
  }
}

/** Presses Tab until `target` has the focus (at most `max` times); the focus must be visible there. */
async function tabTo(page: Page, target: Locator, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement).catch(() => false)) {
      // An outline, or a ring drawn as a box shadow (Naive UI's inputs and buttons).
      const ring = await target.evaluate((el) => {
        const s = el.ownerDocument.defaultView?.getComputedStyle(el);
        if (!s) return '';
        return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 ? s.outlineStyle : s.boxShadow;
      });
      expect(ring, 'the keyboard focus is visible').not.toMatch(/^(none|)$/);
      return;
    }
  }
  throw new Error(`Tab did not reach ${String(target)} in ${max} presses`);
}

async function connectScreens(page: Page, found: Finding[]): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Connect', level: 1 })).toBeVisible();
  await scan(page, 'Connect', found);
  // A profile without a saved password: PortPilot asks for it.
  await page.getByTestId('profile-add').click();
  await page.getByTestId('pf-name').locator('input').fill('Lab');
  await page.getByTestId('pf-host').locator('input').fill('127.0.0.2');
  await page.getByTestId('pf-port').locator('input').fill(String(demo.apiPort));
  await page.getByTestId('pf-user').locator('input').fill('admin');
  await scan(page, 'Connect: router form', found);
  await page.getByTestId('pf-save').click();
  await page.getByTestId('profile-Lab').getByRole('button', { name: 'Connect' }).click();
  const password = page.getByTestId('prompt-password');
  await expect(password).toBeVisible();
  await scan(page, 'Connect: password prompt', found);
  await escapeCloses(page, password, 'Connect: password prompt', found, () =>
    page.getByRole('button', { name: 'Cancel' }).click(),
  );

  // API-SSL with a self-signed certificate: PortPilot shows its fingerprint to pin.
  await page.getByTestId('profile-add').click();
  await page.getByTestId('pf-name').locator('input').fill('Lab TLS');
  await page.getByTestId('pf-host').locator('input').fill('127.0.0.2');
  await page
    .getByTestId('profile-form')
    .getByRole('radio', { name: /^API-SSL/ })
    .check();
  await page.getByTestId('pf-port').locator('input').fill(String(demo.apiSslPort));
  await page.getByTestId('pf-user').locator('input').fill('admin');
  await page.getByTestId('pf-password').locator('input').fill('pw');
  await page.getByTestId('pf-save').click();
  await page.getByTestId('profile-Lab TLS').getByRole('button', { name: 'Connect' }).click();
  const tls = page.getByRole('dialog').filter({ hasText: /certificate/ });
  await expect(tls).toBeVisible({ timeout: 15_000 });
  await scan(page, 'Connect: certificate prompt', found);
  await escapeCloses(page, tls, 'Connect: certificate prompt', found, () =>
    tls
      .getByRole('button', { name: /Cancel|Close/ })
      .first()
      .click(),
  );
}

async function mappingsScreens(page: Page, found: Finding[]): Promise<void> {
  await visit(page, 'Mappings');
  const table = page.getByTestId('mappings-table');
  await expect(table).toContainText('plex-server', { timeout: 15_000 });
  await scan(page, 'Mappings', found);

  // Keyboard: from the search box, Tab reaches a row's actions button; Enter opens its menu.
  await page.getByTestId('mappings-search').locator('input').focus();
  const more = table
    .locator('tbody tr')
    .first()
    .getByRole('button', { name: /^Actions for / });
  await tabTo(page, more);
  await page.keyboard.press('Enter');
  const menu = page.getByTestId('row-menu');
  await expect(menu).toBeVisible();
  await scan(page, 'Mappings: row menu', found);
  await escapeCloses(page, menu, 'Mappings: row menu', found, () => page.mouse.click(5, 5));
  await expect(more, 'the focus goes back to the button that opened the menu').toBeFocused();

  // The menu by keyboard: Remove… asks first, in a dialog that Escape closes.
  await more.focus();
  await page.keyboard.press('Enter');
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await page.keyboard.press('End');
  await expect(menu.getByRole('menuitem').last()).toBeFocused();
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  const remove = page.getByTestId('cleanup-dialog');
  await expect(page.getByTestId('cleanup-plan')).toBeVisible({ timeout: 15_000 });
  await scan(page, 'Mappings: remove one', found);
  await escapeCloses(page, remove, 'Mappings: remove one', found, () =>
    remove.getByRole('button', { name: 'Cancel' }).click(),
  );

  await page.getByTestId('mappings-settings-open').click();
  const rules = page.getByTestId('mappings-settings');
  await expect(rules).toBeVisible();
  await scan(page, 'Mappings: rules', found);
  await escapeCloses(page, rules, 'Mappings: rules', found, () => page.mouse.click(5, 5));

  await page.getByTestId('cleanup-open').click();
  const dialog = page.getByTestId('cleanup-dialog');
  await expect(page.getByTestId('cleanup-plan')).toBeVisible({ timeout: 15_000 });
  await scan(page, 'Mappings: cleanup preview', found);
  await escapeCloses(page, dialog, 'Mappings: cleanup preview', found, () =>
    dialog.getByRole('button', { name: 'Cancel' }).click(),
  );
}

async function wizardScreens(page: Page, found: Finding[]): Promise<void> {
  await visit(page, 'Setup wizard');
  const next = page.getByTestId('wizard-next');
  for (let step = 1; step <= 6; step++) {
    await expect(page.getByTestId(`wizard-step-${step}`)).toBeVisible({ timeout: 15_000 });
    await scan(page, `Setup wizard: step ${step}`, found);
    if (step < 6) await next.click();
  }
}

async function troubleshooterScreens(page: Page, found: Finding[]): Promise<void> {
  await visit(page, 'Troubleshooter');
  await page.getByTestId('diagnose-run').click();
  await expect(page.getByTestId('diagnose-summary')).toBeVisible({ timeout: 30_000 });
  await scan(page, 'Troubleshooter: findings', found);
  const fixable = page.getByTestId('diagnose-checks').locator('[data-status="fail"], [data-status="warn"]');
  const withFix = fixable.filter({ hasText: 'fix available' }).first();
  if ((await withFix.count()) > 0) {
    await withFix.locator('.head').click();
    await withFix.getByTestId('check-fix').click();
    await expect(withFix.getByTestId('plan-preview')).toBeVisible();
    await scan(page, 'Troubleshooter: fix preview', found);
  }
  // The consent before any STUN traffic (closed again: nothing is sent).
  await page.getByTestId('nat-measure').click();
  const consent = page.getByRole('dialog').filter({ hasText: 'STUN server' });
  await expect(consent).toBeVisible();
  await scan(page, 'Troubleshooter: STUN consent', found);
  await escapeCloses(page, consent, 'Troubleshooter: STUN consent', found, () =>
    consent.getByTestId('stun-consent-decline').click(),
  );
}

async function allScreens(page: Page, found: Finding[]): Promise<void> {
  await page.goto(app.url);
  await connectScreens(page, found);
  await page.getByTestId('demo-start').click();
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('ov-identity')).toHaveText('HomeRouter', { timeout: 15_000 });
  await scan(page, 'Overview', found);
  await mappingsScreens(page, found);
  await wizardScreens(page, found);
  await visit(page, 'Configuration');
  await expect(page.locator('.n-tabs')).toBeVisible({ timeout: 15_000 });
  await scan(page, 'Configuration', found);
  await troubleshooterScreens(page, found);
  await visit(page, 'Security audit');
  await page.getByTestId('audit-run').click();
  await expect(page.getByTestId('audit-score')).toBeVisible({ timeout: 30_000 });
  await scan(page, 'Security audit', found);
  await visit(page, 'Test from this PC');
  await scan(page, 'Test from this PC', found);
  await page.getByTestId('selftest-start').click();
  await expect(page.getByTestId('selftest-verdict')).toHaveText(/Passed|Failed/, { timeout: 90_000 });
  await scan(page, 'Test from this PC: after a run', found);
  await visit(page, 'Settings');
  await scan(page, 'Settings', found);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`every screen in the ${scheme} theme: no serious or critical axe finding; keyboard reaches rows and menus`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const found: Finding[] = [];
    await allScreens(page, found);
    mkdirSync('test-results', { recursive: true });
    writeFileSync(`test-results/a11y-${scheme}.json`, JSON.stringify(found, null, 2));
    const screens = [...new Set(found.map((f) => f.screen))];
    for (const screen of screens) {
      const list = found
        .filter((f) => f.screen === screen)
        .map((f) => `${f.impact} ${f.rule}: ${f.help} — ${f.targets.slice(0, 3).join(' | ')}`);
      expect.soft(list, `${screen} (${scheme})`).toEqual([]);
    }
  });
}
