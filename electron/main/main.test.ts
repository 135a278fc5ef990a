import { describe, expect, it, vi, beforeAll } from 'vitest';
import { domainList } from '../../shared/domains';

/*
 * The Electron runtime cannot be downloaded on CI machines, so main is tested with the `electron`
 * module mocked: importing electron/main/index.ts must build a hardened window, a handler for every
 * contract method, deny permissions, and refuse navigation and new windows.
 */
const state = vi.hoisted(() => ({
  windows: [] as Array<{ options: Record<string, unknown>; loaded: string | null; contents: { mainFrame: unknown } }>,
  handlers: new Map<string, (event: unknown, input: unknown) => unknown>(),
  appListeners: new Map<string, (...args: unknown[]) => void>(),
  permissionHandler: null as null | ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void),
  permissionCheck: null as null | (() => boolean),
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { mainFrame: { id: 'main-frame' }, isDestroyed: () => false, send: vi.fn() };
    entry: { options: Record<string, unknown>; loaded: string | null; contents: { mainFrame: unknown } };
    constructor(options: Record<string, unknown>) {
      this.entry = { options, loaded: null, contents: this.webContents };
      state.windows.push(this.entry);
    }
    once() {}
    on() {}
    isDestroyed() {
      return false;
    }
    loadFile(file: string) {
      this.entry.loaded = file;
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.entry.loaded = url;
      return Promise.resolve();
    }
  }
  const app = {
    isPackaged: true,
    getAppPath: () => '/app',
    getPath: () => `${process.env['TMPDIR'] ?? '/tmp'}/pp-main-test-${process.pid}`,
    requestSingleInstanceLock: () => true,
    on: (name: string, fn: (...args: unknown[]) => void) => state.appListeners.set(name, fn),
    once: vi.fn(),
    quit: vi.fn(),
    whenReady: () => Promise.resolve(),
  };
  return {
    app,
    BrowserWindow,
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, input: unknown) => unknown) => state.handlers.set(channel, fn),
      removeHandler: (channel: string) => state.handlers.delete(channel),
    },
    Notification: Object.assign(vi.fn(), { isSupported: () => false }),
    // Issue 16: the tray (its behaviour is tested in background.test.ts and lifecycle.test.ts).
    Tray: class {
      setToolTip() {}
      setContextMenu() {}
      setImage() {}
      on() {}
      destroy() {}
    },
    nativeImage: { createFromPath: () => ({ setTemplateImage: vi.fn() }) },
    nativeTheme: { shouldUseDarkColors: true, on: vi.fn() },
    safeStorage: {
      isEncryptionAvailable: () => false,
      encryptString: vi.fn(),
      decryptString: vi.fn(),
      // A Linux session without GNOME Keyring or KWallet (Electron's fallback).
      getSelectedStorageBackend: () => 'basic_text',
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: typeof state.permissionHandler) => (state.permissionHandler = fn),
        setPermissionCheckHandler: (fn: typeof state.permissionCheck) => (state.permissionCheck = fn),
      },
    },
  };
});

const listenersBefore = {
  exception: process.listeners('uncaughtException'),
  rejection: process.listeners('unhandledRejection'),
};

beforeAll(async () => {
  await import('./index');
  await vi.waitFor(() => expect(state.windows).toHaveLength(1));
});

describe('Electron main (electron mocked)', () => {
  it('opens one window with hardened webPreferences and the sandboxed CommonJS preload', () => {
    const prefs = state.windows[0]!.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(String(prefs['preload'])).toMatch(/preload[\\/]index\.cjs$/);
    expect(state.windows[0]!.loaded).toMatch(/renderer[\\/]index\.html$/);
  });

  it('registers a handler for every contract method and nothing else', () => {
    const declared = domainList.flatMap((d) => Object.keys(d.methods).map((m) => `${d.name}:${m}`));
    expect([...state.handlers.keys()].sort()).toEqual(declared.sort());
  });

  it('answers calls from its own main frame and refuses any other sender', async () => {
    const handler = state.handlers.get('app:info')!;
    const contents = state.windows[0]!.contents;
    const own = await handler({ sender: contents, senderFrame: contents.mainFrame }, undefined);
    expect(own).toMatchObject({ ok: true, value: { transport: 'ipc', name: 'PortPilot' } });
    const forged = await handler({ sender: {}, senderFrame: {} }, undefined);
    expect(forged).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('reports the keychain backend, and that passwords are asked each time without a keychain (issue 15)', async () => {
    const handler = state.handlers.get('router:secretStorage')!;
    const contents = state.windows[0]!.contents;
    const view = (await handler({ sender: contents, senderFrame: contents.mainFrame }, undefined)) as {
      ok: boolean;
      value: { kind: string; backend: string; canSave: boolean; reason: string | null };
    };
    const backend = { win32: 'dpapi', darwin: 'keychain' }[process.platform as string] ?? 'basic_text';
    expect(view).toMatchObject({ ok: true, value: { kind: 'os-keychain', backend, canSave: false } });
    if (backend === 'basic_text') expect(view.value.reason).toMatch(/basic_text/);
  });

  it('denies every permission request and check', () => {
    const answers: boolean[] = [];
    state.permissionHandler!({}, 'media', (granted) => answers.push(granted));
    state.permissionHandler!({}, 'notifications', (granted) => answers.push(granted));
    expect(answers).toEqual([false, false]);
    expect(state.permissionCheck!()).toBe(false);
  });

  it('refuses navigation, redirects, webviews and new windows in every web contents', () => {
    const created = state.appListeners.get('web-contents-created')!;
    const listeners = new Map<string, (event: { preventDefault: () => void }) => void>();
    let openHandler: (() => { action: string }) | null = null;
    created(
      {},
      {
        on: (name: string, fn: (event: { preventDefault: () => void }) => void) => listeners.set(name, fn),
        setWindowOpenHandler: (fn: () => { action: string }) => (openHandler = fn),
      },
    );
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() };
      listeners.get(name)!(event);
      expect(event.preventDefault, name).toHaveBeenCalled();
    }
    expect(openHandler!()).toEqual({ action: 'deny' });
  });

  it('keeps running after a fault nobody caught: logged, the router session dropped', async () => {
    const added = process.listeners('uncaughtException').filter((l) => !listenersBefore.exception.includes(l));
    const addedRejection = process
      .listeners('unhandledRejection')
      .filter((l) => !listenersBefore.rejection.includes(l));
    expect(added).toHaveLength(1);
    expect(addedRejection).toHaveLength(1);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      // Called directly: emitting on the real process would also reach the test runner's own handler.
      expect(() => added[0]!(new Error('a bug in a data handler'), 'uncaughtException')).not.toThrow();
      expect(logged).toHaveBeenCalledWith('[portpilot] uncaught exception: a bug in a data handler');
      const state = state_();
      await vi.waitFor(async () => expect(await state).toMatchObject({ ok: true, value: { kind: 'idle' } }));
    } finally {
      logged.mockRestore();
    }
  });
});

function state_(): Promise<unknown> {
  const contents = state.windows[0]!.contents;
  return Promise.resolve(
    state.handlers.get('router:state')!({ sender: contents, senderFrame: contents.mainFrame }, undefined),
  );
}
