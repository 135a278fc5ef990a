/**
 * Web mode has no tray (issue 16): alerts become browser notifications when the tab allows them, and
 * stay in-app toasts otherwise. The desktop app never uses the browser's Notification API — main shows
 * desktop notifications and Electron refuses the permission anyway.
 */
import type { NoticePayload } from '../../../shared/domains/alerts';

export type BrowserAlertState =
  /** The desktop app: main shows desktop notifications. */
  | 'desktop'
  /** This browser has no Notification API. */
  | 'unsupported'
  /** Not a secure context (web mode reached over plain http on a non-loopback address). */
  | 'insecure'
  | 'default'
  | 'granted'
  | 'denied';

export interface BrowserEnv {
  transport: 'ipc' | 'websocket';
  /** `window.Notification`, when there is one. */
  Notification: { permission: NotificationPermission } | undefined;
  secure: boolean;
}

export function browserAlertState(env: BrowserEnv): BrowserAlertState {
  if (env.transport === 'ipc') return 'desktop';
  if (!env.Notification) return 'unsupported';
  if (!env.secure) return 'insecure';
  return env.Notification.permission;
}

/** What Settings says about where alerts appear. */
export function browserAlertsText(state: BrowserAlertState): string {
  switch (state) {
    case 'desktop':
      return 'Alerts appear as desktop notifications while PortPilot’s window is closed or in the background, and in the window while it is in front.';
    case 'granted':
      return 'Alerts appear as browser notifications while this tab is open but not in front, and in the tab. Web mode has no tray: once the tab closes or “npm run serve” stops, nothing watches.';
    case 'default':
      return 'Web mode has no tray: alerts appear in this tab only. Allow browser notifications to see them while the tab is in the background.';
    case 'denied':
      return 'This browser blocks PortPilot’s notifications, so alerts appear in this tab only. Allow notifications for this site in the browser’s site settings to change that.';
    case 'insecure':
      return 'Browsers allow notifications only on https or on this computer’s own address (127.0.0.1), so alerts appear in this tab only.';
    case 'unsupported':
      return 'This browser cannot show notifications, so alerts appear in this tab only.';
  }
}

export type NotificationLike = Pick<Notification, 'onclick' | 'close'>;

/**
 * A browser notification for one alert, only when the tab is not in front (in front, the toast shows
 * it). `tag` makes a repeated alert about the same row replace the earlier one instead of piling up.
 */
export function showBrowserAlert(
  notice: NoticePayload,
  deps: {
    state: BrowserAlertState;
    inFront: boolean;
    create: (title: string, options: NotificationOptions) => NotificationLike;
    onClick: () => void;
  },
): boolean {
  if (deps.state !== 'granted' || deps.inFront) return false;
  const n = deps.create(notice.title, { body: notice.message, tag: `portpilot-${notice.mappingId}` });
  n.onclick = () => {
    n.close();
    deps.onClick();
  };
  return true;
}
