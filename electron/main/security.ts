import type { App, Session, WebContents } from 'electron';

/**
 * Blocks every navigation away from the loaded page (the UI routes by hash, so in-app navigation never
 * fires will-navigate), every new window, every <webview>, and every permission request.
 */
export function lockDownWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export function applySecurityPolicy(app: App): void {
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents));
}
