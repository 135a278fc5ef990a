import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { INITIAL_TRAY_STATE, trayView, type TrayAction } from '../background/tray-model';
import { createTrayIcon, trayIconPath, type TrayElectron } from './tray';

/** Electron's Tray, Menu, nativeImage and nativeTheme, recorded (the Electron runtime is not available). */
function fakeElectron(dark = true) {
  const trays: FakeTray[] = [];
  const themeListeners: Array<() => void> = [];
  class FakeTray {
    image: { path: string; template: boolean };
    tooltip = '';
    title: string | null = null;
    menu: MenuItemConstructorOptions[] = [];
    clicks: Array<() => void> = [];
    destroyed = false;
    constructor(image: { path: string; template: boolean }) {
      this.image = image;
      trays.push(this);
    }
    setToolTip(t: string) {
      this.tooltip = t;
    }
    setTitle(t: string) {
      this.title = t;
    }
    setContextMenu(m: MenuItemConstructorOptions[]) {
      this.menu = m;
    }
    setImage(image: { path: string; template: boolean }) {
      this.image = image;
    }
    on(name: string, fn: () => void) {
      if (name === 'click') this.clicks.push(fn);
    }
    destroy() {
      this.destroyed = true;
    }
  }
  const theme = { shouldUseDarkColors: dark, on: (_: string, fn: () => void) => themeListeners.push(fn) };
  const electron = {
    Tray: FakeTray,
    Menu: { buildFromTemplate: (t: MenuItemConstructorOptions[]) => t },
    nativeImage: {
      createFromPath: (path: string) => {
        const img = { path, template: false, setTemplateImage: (v: boolean) => (img.template = v) };
        return img;
      },
    },
    nativeTheme: theme,
  } as unknown as TrayElectron;
  return { electron, trays, theme, themeChanged: () => themeListeners.forEach((fn) => fn()) };
}

describe('tray icon (electron mocked)', () => {
  it('macOS: a template icon, the live count as the menu-bar title, the menu from the model', () => {
    const f = fakeElectron();
    const acts: TrayAction[] = [];
    const icon = createTrayIcon(f.electron, { platform: 'darwin', resourcesDir: '/res', act: (a) => acts.push(a) });
    const tray = f.trays[0]!;
    expect(tray.image).toMatchObject({ path: trayIconPath('/res', 'darwin', true), template: true });
    expect(tray.image.path).toMatch(/trayTemplate\.png$/);
    const connected = { ...INITIAL_TRAY_STATE, phase: 'live' as const, count: 7 };
    const view = trayView(
      { ...connected, router: { kind: 'connected', router: { label: 'r' }, capabilities: {} } as never },
      'darwin',
    );
    icon.render(view);
    expect(tray.title).toBe('7');
    expect(tray.tooltip).toBe(view.tooltip);
    expect(tray.menu.map((m) => m.label ?? m.type)).toEqual(
      view.items.map((i) => (i.type === 'separator' ? 'separator' : i.label)),
    );
    tray.menu.find((m) => m.label === 'Quit PortPilot')!.click!({} as never, undefined, {} as never);
    tray.menu.find((m) => m.label === 'Pause alerts')!.click!({} as never, undefined, {} as never);
    expect(acts).toEqual([{ kind: 'quit' }, { kind: 'toggle-alerts' }]);
    expect(tray.menu.find((m) => m.label === 'Pause alerts')).toMatchObject({ type: 'checkbox', checked: false });
    expect(tray.menu[0]).toMatchObject({ enabled: false, click: undefined });
  });

  it('Linux and Windows: a monochrome glyph that follows a dark or light panel, no title', () => {
    const f = fakeElectron(true);
    const icon = createTrayIcon(f.electron, { platform: 'linux', resourcesDir: '/res', act: () => {} });
    const tray = f.trays[0]!;
    expect(tray.image).toMatchObject({ template: false });
    expect(tray.image.path).toMatch(/tray-white\.png$/);
    f.theme.shouldUseDarkColors = false;
    f.themeChanged();
    expect(tray.image.path).toMatch(/tray-black\.png$/);
    icon.render(trayView(INITIAL_TRAY_STATE, 'linux'));
    expect(tray.title).toBeNull();
    icon.destroy();
    expect(tray.destroyed).toBe(true);
  });

  it('Windows: a left click on the icon opens the window', () => {
    const f = fakeElectron();
    const act = vi.fn();
    createTrayIcon(f.electron, { platform: 'win32', resourcesDir: '/res', act });
    f.trays[0]!.clicks.forEach((c) => c());
    expect(act).toHaveBeenCalledWith({ kind: 'open', request: null });
  });
});
