import { app, type BrowserWindow, ipcMain, Menu, Notification, safeStorage, session } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { domainList } from '../../shared/domains';
import { createDispatcher } from '../host/dispatcher';
import { installFaultGuard } from '../host/fault-guard';
import { createServices } from '../services';
import { bindIpc, forwardEvents } from './ipc';
import { keychainSecrets } from './keychain-secrets';
import { forwardNotices } from './notifications';
import { appMenuTemplate } from './menu';
import { applySecurityPolicy, denyAllPermissions } from './security';
import { createMainWindow } from './window';

/* Thin glue: services are built in plain Node (electron/services) and only wired to IPC here. */
const here = path.dirname(fileURLToPath(import.meta.url));
let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  applySecurityPolicy(app);
  void app.whenReady().then(start);
  app.on('window-all-closed', () => app.quit());
}

function start(): void {
  denyAllPermissions(session.defaultSession);
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(process.platform === 'darwin', !app.isPackaged)));
  const configDir = app.getPath('userData');
  const { services, hub, dispose } = createServices({
    configDir,
    secrets: keychainSecrets(safeStorage, configDir),
    electronVersion: process.versions.electron ?? null,
    log: (line) => console.error(`[portpilot] ${line}`),
  });
  // Issue 18: a fault nobody caught drops the router session (the UI sees the state change) instead
  // of ending the app; see fault-guard.ts.
  const unguard = installFaultGuard(process, {
    log: (line) => console.error(`[portpilot] ${line}`),
    recover: (fault) =>
      services.router.dropSession(
        `PortPilot hit an internal error (${fault.message}) and closed the connection to be safe. Connect again.`,
      ),
  });
  const dispatcher = createDispatcher(domainList, services, (line) => console.error(`[portpilot] ${line}`));
  const contents = () => mainWindow?.webContents ?? null;
  const unbind = bindIpc(ipcMain, dispatcher, contents);
  const unforward = forwardEvents(hub, contents);
  const unnotify = forwardNotices(hub, {
    isSupported: () => Notification.isSupported(),
    show: (title, body) => new Notification({ title, body }).show(),
  });
  app.once('will-quit', () => {
    unforward();
    unnotify();
    unbind();
    void dispose().finally(unguard);
  });

  mainWindow = createMainWindow(path.join(here, '../preload/index.cjs'), path.join(here, '../../resources/icon.png'));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = null));
  // electron-vite dev serves the renderer over HTTP; a built app loads it from disk.
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  if (devUrl && !app.isPackaged) void mainWindow.loadURL(devUrl);
  else void mainWindow.loadFile(path.join(here, '../renderer/index.html'));
}
