import type { Menu as ElectronMenu, MenuItemConstructorOptions, NativeImage, NativeTheme, Tray } from 'electron';
import path from 'node:path';
import type { TrayAction, TrayItem, TrayView } from '../background/tray-model';

/** What the tray glue needs from electron (injected: tests pass fakes). */
export interface TrayElectron {
  Tray: new (image: NativeImage) => Tray;
  Menu: Pick<typeof ElectronMenu, 'buildFromTemplate'>;
  nativeImage: { createFromPath(path: string): NativeImage };
  nativeTheme: Pick<NativeTheme, 'shouldUseDarkColors' | 'on'>;
}

export interface TrayIcon {
  render(view: TrayView): void;
  destroy(): void;
}

/**
 * The icon file for this platform: a template image on macOS (black + alpha; the menu bar tints it),
 * a monochrome glyph elsewhere, white on a dark panel and black on a light one. `@2x` files beside
 * them are picked up by nativeImage for high-DPI screens.
 */
export function trayIconPath(resourcesDir: string, platform: NodeJS.Platform, darkPanel: boolean): string {
  if (platform === 'darwin') return path.join(resourcesDir, 'trayTemplate.png');
  return path.join(resourcesDir, darkPanel ? 'tray-white.png' : 'tray-black.png');
}

export function menuTemplate(items: TrayItem[], act: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    const click = item.action ? () => act(item.action!) : undefined;
    if (item.type === 'checkbox') return { type: 'checkbox', label: item.label, checked: item.checked, click };
    return { label: item.label, enabled: item.enabled, click };
  });
}

export function createTrayIcon(
  electron: TrayElectron,
  opts: { platform: NodeJS.Platform; resourcesDir: string; act: (action: TrayAction) => void },
): TrayIcon {
  const image = () => {
    const img = electron.nativeImage.createFromPath(
      trayIconPath(opts.resourcesDir, opts.platform, electron.nativeTheme.shouldUseDarkColors),
    );
    if (opts.platform === 'darwin') img.setTemplateImage(true);
    return img;
  };
  const tray = new electron.Tray(image());
  // A panel that turns light or dark gets the glyph that stays visible on it.
  if (opts.platform !== 'darwin') electron.nativeTheme.on('updated', () => tray.setImage(image()));
  // Windows: a left click opens the window, the right click the menu (the taskbar's convention).
  if (opts.platform === 'win32') tray.on('click', () => opts.act({ kind: 'open', request: null }));
  return {
    render(view) {
      tray.setToolTip(view.tooltip);
      if (opts.platform === 'darwin') tray.setTitle(view.title, { fontType: 'monospacedDigit' });
      // Linux panels only pick up a changed menu when it is set again (Electron Tray docs).
      tray.setContextMenu(electron.Menu.buildFromTemplate(menuTemplate(view.items, opts.act)));
    },
    destroy: () => tray.destroy(),
  };
}
