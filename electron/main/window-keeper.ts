import type { BrowserWindow, WebContents } from 'electron';
import { openHash, type OpenRequest } from '../../shared/domains/app';

export interface WindowKeeperDeps {
  create(): BrowserWindow;
  /** Loads the UI into a window, on the screen of `hash` when given (`/mappings?open=tcp%2F80`). */
  load(win: BrowserWindow, hash: string | null): void;
  /** Tells an open window's UI to show something (the app domain's `open` event). */
  emitOpen(request: OpenRequest): void;
}

/**
 * The one window, made on demand: closing it destroys it (window-policy.ts says why), opening makes a
 * new one on the asked screen, or brings the existing one up and tells it where to go.
 */
export class WindowKeeper {
  private win: BrowserWindow | null = null;

  constructor(private readonly deps: WindowKeeperDeps) {}

  open(request: OpenRequest | null = null): void {
    const win = this.win;
    if (!win || win.isDestroyed()) return this.create(request);
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    if (!request) return;
    // Still loading: its UI may not listen yet, so load it again on the asked screen.
    if (win.webContents.isLoading()) this.deps.load(win, openHash(request));
    else this.deps.emitOpen(request);
  }

  contents(): WebContents | null {
    return this.win && !this.win.isDestroyed() ? this.win.webContents : null;
  }

  /** In front and visible: a toast in it is seen. */
  focused(): boolean {
    const win = this.win;
    return !!win && !win.isDestroyed() && win.isVisible() && win.isFocused();
  }

  private create(request: OpenRequest | null): void {
    const win = this.deps.create();
    this.win = win;
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      if (this.win === win) this.win = null;
    });
    this.deps.load(win, request ? openHash(request) : null);
  }
}
