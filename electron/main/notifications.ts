import type { Notification as ElectronNotification, NotificationConstructorOptions } from 'electron';
import { eventChannel } from '../../shared/contract/define';
import { noticeOpenRequest, type OpenRequest } from '../../shared/domains/app';
import type { NoticePayload } from '../../shared/domains/mappings';
import type { EventHub } from '../host/event-hub';

export interface NotifierLike {
  isSupported(): boolean;
  show(notice: { title: string; body: string }, onClick: () => void): void;
}

export interface NoticeRouting {
  /** The window is in front: its toast shows the notice, a desktop notification would repeat it. */
  windowFocused(): boolean;
  /** A click on the notification: open (or bring up) the window on that row. */
  open(request: OpenRequest): void;
}

/**
 * Desktop notifications for the mappings service's alerts (already filtered by the alert rules, grouped
 * per device and rate limited: mappings/alert-gate.ts). Clicking one opens the window on the row.
 */
export function forwardNotices(hub: EventHub, notifier: NotifierLike, routing: NoticeRouting): () => void {
  const channel = eventChannel('mappings', 'notice');
  return hub.subscribe((ch, payload) => {
    if (ch !== channel || !notifier.isSupported() || routing.windowFocused()) return;
    const notice = payload as NoticePayload;
    notifier.show({ title: notice.title, body: notice.message }, () => routing.open(noticeOpenRequest(notice)));
  });
}

/** How many shown notifications keep their click handler alive. */
const KEEP = 20;

/**
 * Electron's Notification as a NotifierLike. A notification whose JS object is garbage collected loses
 * its click handler, so the last few are kept referenced until clicked or closed.
 */
export function electronNotifier(Notification: {
  new (options: NotificationConstructorOptions): ElectronNotification;
  isSupported(): boolean;
}): NotifierLike {
  const live: ElectronNotification[] = [];
  const forget = (n: ElectronNotification) => {
    const i = live.indexOf(n);
    if (i >= 0) live.splice(i, 1);
  };
  return {
    isSupported: () => Notification.isSupported(),
    show({ title, body }, onClick) {
      const n = new Notification({ title, body });
      live.push(n);
      if (live.length > KEEP) live.shift();
      n.on('click', () => {
        forget(n);
        onClick();
      });
      n.on('close', () => forget(n));
      n.show();
    },
  };
}
