import {
  app,
  type BrowserWindow,
  ipcMain,
  Menu,
  nativeImage,
  nativeTheme,
  Notification,
  safeStorage,
  session,
  Tray,
} from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appDomain } from '../../shared/domains/app';
import { domainList } from '../../shared/domains';
import { startedHidden } from '../background/login-item';
import { BackgroundPrefs } from '../background/prefs';
import { xdgAutostart } from '../background/xdg-autostart';
import { createDispatcher } from '../host/dispatcher';
import { installFaultGuard } from '../host/fault-guard';
import { systemMappingsClock } from '../mappings/clock';
import { createFileStore } from '../mappings/file-store';
import { createServices } from '../services';
import { autostartPath } from '../storage';
import { startBackground } from './background';
import { bindIpc, forwardEvents } from './ipc';
import { keychainSecrets } from './keychain-secrets';
import { electronLoginItem, launchContext } from './login-item';
import { electronNotifier, forwardNotices } from './notifications';
import { appMenuTemplate } from './menu';
import { applySecurityPolicy, denyAllPermissions } from './security';
import { createTrayIcon } from './tray';
import { createMainWindow } from './window';
import { WindowKeeper } from './window-keeper';

/* Thin glue: services are built in plain Node (electron/services, electron/background) and wired here. */
const here = path.dirname(fileURLToPath(import.meta.url));
const resources = path.join(here, '../../resources');
const log = (line: string) => console.error(`[portpilot] ${line}`);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  applySecurityPolicy(app);
  void app.whenReady().then(start);
}

function start(): void {
  denyAllPermissions(session.defaultSession);
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(process.platform === 'darwin', !app.isPackaged)));
  // Windows shows notifications only for an app with an AppUserModelID (electron-builder's appId).
  if (process.platform === 'win32') app.setAppUserModelId('com.portpilot.app');
  const configDir = app.getPath('userData');
  const launch = launchContext(app, process);
  const loginItem =
    process.platform === 'linux' ? xdgAutostart(launch, autostartPath()) : electronLoginItem(app, launch);
  const prefs = new BackgroundPrefs(createFileStore(configDir), log);
  const { services, hub, dispose, prepare } = createServices({
    configDir,
    secrets: keychainSecrets(safeStorage, configDir),
    electronVersion: process.versions.electron ?? null,
    log,
    desktop: { prefs, loginItem },
  });
  // Issue 18: a fault nobody caught drops the router session (the UI sees the state change) instead
  // of ending the app; see fault-guard.ts.
  const unguard = installFaultGuard(process, {
    log,
    recover: (fault) =>
      services.router.dropSession(
        `PortPilot hit an internal error (${fault.message}) and closed the connection to be safe. Connect again.`,
      ),
  });
  const dispatcher = createDispatcher(domainList, services, log);
  const windows = new WindowKeeper({
    create: () => createMainWindow(path.join(here, '../preload/index.cjs'), path.join(resources, 'icon.png')),
    load: (win, hash) => loadUi(win, hash),
    emitOpen: (request) => hub.sink(appDomain)('open', request),
  });
  const contents = () => windows.contents();
  const unbind = bindIpc(ipcMain, dispatcher, contents);
  const unforward = forwardEvents(hub, contents);
  const notifier = electronNotifier(Notification);
  const unnotify = forwardNotices(hub, notifier, {
    windowFocused: () => windows.focused(),
    open: (request) => windows.open(request),
  });
  const stopBackground = startBackground({
    app,
    platform: process.platform,
    hub,
    services,
    prefs,
    windows,
    tray: (act) =>
      createTrayIcon(
        { Tray, Menu, nativeImage, nativeTheme },
        { platform: process.platform, resourcesDir: resources, act },
      ),
    notifier,
    clock: systemMappingsClock(),
    hidden: startedHidden({
      platform: process.platform,
      argv: process.argv,
      wasOpenedAtLogin: process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin,
    }),
    log,
  });
  app.once('will-quit', () => {
    stopBackground();
    unforward();
    unnotify();
    unbind();
    void dispose().finally(unguard);
  });
  // Issue 14: the vendor table is read while the user picks a router, not inside the first snapshot.
  prepare();
}

function loadUi(win: BrowserWindow, hash: string | null): void {
  const at = hash ? { hash } : undefined;
  // electron-vite dev serves the renderer over HTTP; a built app loads it from disk.
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  if (devUrl && !app.isPackaged) void win.loadURL(hash ? `${devUrl}#${hash}` : devUrl);
  else void win.loadFile(path.join(here, '../renderer/index.html'), at);
}
