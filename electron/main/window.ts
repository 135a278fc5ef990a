import type { WebPreferences } from 'electron';

/**
 * The renderer's privileges: none beyond the preload's contract bridge. Each flag is Electron's
 * security checklist item (electronjs.org/docs/latest/tutorial/security), set explicitly so a default
 * changing under us cannot loosen it.
 */
export function hardenedWebPreferences(preload: string): WebPreferences {
  return {
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
  };
}
