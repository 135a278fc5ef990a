import { BrowserWindow } from 'electron';

/**
 * The one window. Its webPreferences grant the renderer nothing beyond the preload's contract bridge;
 * each flag is an item of Electron's security checklist (electronjs.org/docs/latest/tutorial/security),
 * set explicitly (and literally, so electronegativity can verify it) so a changed default cannot loosen it.
 */
export function createMainWindow(preload: string, icon: string): BrowserWindow {
  return new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    title: 'PortPilot',
    show: false,
    icon,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click could open a link in a new window (electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
    },
  });
}
