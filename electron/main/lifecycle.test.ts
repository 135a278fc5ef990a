import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { TRAY_HINT } from '../background/window-policy';

/*
 * The desktop app's lifecycle with the `electron` module mocked (its runtime cannot be downloaded on
 * CI machines): closing the window keeps PortPilot in the tray, the tray menu reopens it on the asked
 * screen, and Quit quits.
 */
const state = vi.hoisted(() => ({
  windows: [] as Array<{ loaded: Array<{ file: string; options: unknown }>; listeners: Map<string, () => void> }>,
  app: new Map<string, Array<() => void>>(),
  trays: [] as Array<{ menu: MenuItemConstructorOptions[]; tooltip: string }>,
  notifications: [] as Array<{ title: string; handlers: Map<string, () => void> }>,
  quit: 0,
}));

vi.mock('electron', () => {
  class BrowserWindow {
    entry = { loaded: [] as Array<{ file: string; options: unknown }>, listeners: new Map<string, () => void>() };
    webContents = { mainFrame: {}, isDestroyed: () => false, send: vi.fn(), isLoading: () => false };
    constructor() {
      state.windows.push(this.entry);
    }
    once(name: string, fn: () => void) {
      this.entry.listeners.set(name, fn);
    }
    on(name: string, fn: () => void) {
      this.entry.listeners.set(name, fn);
    }
    isDestroyed = () => false;
    loadFile(file: string, options: unknown) {
      this.entry.loaded.push({ file, options });
      return Promise.resolve();
    }
    loadURL() {
      return Promise.resolve();
    }
    show() {}
  }
  class Tray {
    entry = { menu: [] as MenuItemConstructorOptions[], tooltip: '' };
    constructor() {
      state.trays.push(this.entry);
    }
    setToolTip(t: string) {
      this.entry.tooltip = t;
    }
    setContextMenu(menu: MenuItemConstructorOptions[]) {
      this.entry.menu = menu;
    }
    setImage() {}
    on() {}
    destroy() {}
  }
  class Notification {
    entry: { title: string; handlers: Map<string, () => void> };
    static isSupported = () => true;
    constructor(options: { title: string }) {
      this.entry = { title: options.title, handlers: new Map() };
      state.notifications.push(this.entry);
    }
    on(name: string, fn: () => void) {
      this.entry.handlers.set(name, fn);
    }
    show() {}
  }
  const on = (name: string, fn: () => void) => state.app.set(name, [...(state.app.get(name) ?? []), fn]);
  const app = {
    isPackaged: true,
    getAppPath: () => '/app',
    getPath: () => `${process.env['TMPDIR'] ?? '/tmp'}/pp-lifecycle-test-${process.pid}`,
    requestSingleInstanceLock: () => true,
    on,
    once: on,
    quit: () => void state.quit++,
    whenReady: () => Promise.resolve(),
    setAppUserModelId: vi.fn(),
    getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: false }),
    setLoginItemSettings: vi.fn(),
  };
  return {
    app,
    BrowserWindow,
    Tray,
    Notification,
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    safeStorage: { isEncryptionAvailable: () => false, encryptString: vi.fn(), decryptString: vi.fn() },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: vi.fn() },
    nativeImage: { createFromPath: () => ({ setTemplateImage: vi.fn() }) },
    nativeTheme: { shouldUseDarkColors: true, on: vi.fn() },
    session: { defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() } },
  };
});

const emit = (name: string) => state.app.get(name)?.forEach((fn) => fn());
const menuItem = (label: string) => state.trays[0]!.menu.find((m) => m.label === label)!;
const click = (item: MenuItemConstructorOptions) => item.click!({} as never, undefined, {} as never);

beforeAll(async () => {
  await import('./index');
  await vi.waitFor(() => expect(state.windows).toHaveLength(1));
});

describe('desktop lifecycle (electron mocked)', () => {
  it('starts with the window and a tray icon whose menu can open, pause and quit', () => {
    expect(state.windows[0]!.loaded[0]!.file).toMatch(/renderer[\\/]index\.html$/);
    expect(state.trays).toHaveLength(1);
    expect(state.trays[0]!.tooltip).toBe('PortPilot — Not connected to a router');
    expect(state.trays[0]!.menu.map((m) => m.label ?? m.type)).toEqual([
      'Not connected to a router',
      'Open PortPilot',
      'separator',
      'Pause alerts',
      'separator',
      'Quit PortPilot',
    ]);
  });

  it('closing the window keeps PortPilot running in the tray and says so once', () => {
    state.windows[0]!.listeners.get('closed')!();
    emit('window-all-closed');
    expect(state.quit).toBe(0);
    expect(state.notifications.map((n) => n.title)).toEqual([TRAY_HINT.title]);
  });

  it('the tray opens a new window, on the asked screen when it has one', () => {
    click(menuItem('Open PortPilot'));
    expect(state.windows).toHaveLength(2);
    expect(state.windows[1]!.loaded[0]!.options).toBeUndefined();
    state.windows[1]!.listeners.get('closed')!();
    // The hint's own click brings the window back too.
    state.notifications[0]!.handlers.get('click')!();
    expect(state.windows).toHaveLength(3);
  });

  it('Quit quits, and after Quit closing the last window does not keep it alive', () => {
    click(menuItem('Quit PortPilot'));
    expect(state.quit).toBe(1);
    emit('before-quit');
    emit('window-all-closed');
    expect(state.quit).toBe(2);
  });
});
