import { describe, expect, it } from 'vitest';
import type { NoticePayload } from '../../../shared/domains/alerts';
import { browserAlertState, browserAlertsText, showBrowserAlert, type BrowserAlertState } from './browser-alerts';

const notice: NoticePayload = {
  kind: 'watched-port',
  reasons: ['watched-port'],
  mappingId: 'tcp/3389',
  mappingIds: ['tcp/3389'],
  count: 1,
  device: { label: 'pc', address: '192.168.88.5' },
  title: 'Watched port 3389 opened',
  message: 'TCP 3389 → pc',
};

describe('browser notifications in web mode', () => {
  it('the desktop app never uses them; web mode needs the API, a secure context and the permission', () => {
    const N = (permission: NotificationPermission) => ({ permission });
    expect(browserAlertState({ transport: 'ipc', Notification: N('granted'), secure: true })).toBe('desktop');
    expect(browserAlertState({ transport: 'websocket', Notification: undefined, secure: true })).toBe('unsupported');
    expect(browserAlertState({ transport: 'websocket', Notification: N('default'), secure: false })).toBe('insecure');
    for (const p of ['default', 'granted', 'denied'] as const)
      expect(browserAlertState({ transport: 'websocket', Notification: N(p), secure: true })).toBe(p);
  });

  it('Settings says where alerts appear in every case, and that web mode has no tray', () => {
    const states: BrowserAlertState[] = ['desktop', 'unsupported', 'insecure', 'default', 'granted', 'denied'];
    for (const s of states) expect(browserAlertsText(s).length).toBeGreaterThan(40);
    expect(browserAlertsText('default')).toMatch(/no tray.*this tab only/);
    expect(browserAlertsText('denied')).toMatch(/this tab only/);
  });

  it('shows one only when allowed and the tab is not in front; a click closes it and opens the row', () => {
    const made: Array<{ title: string; options: NotificationOptions; n: { onclick: unknown; closed: boolean } }> = [];
    const create = (title: string, options: NotificationOptions) => {
      const n = { onclick: null as unknown, closed: false, close: () => void (n.closed = true) };
      made.push({ title, options, n });
      return n as unknown as Notification;
    };
    let clicked = 0;
    const deps = (state: BrowserAlertState, inFront: boolean) => ({ state, inFront, create, onClick: () => clicked++ });
    expect(showBrowserAlert(notice, deps('granted', true))).toBe(false);
    expect(showBrowserAlert(notice, deps('default', false))).toBe(false);
    expect(showBrowserAlert(notice, deps('desktop', false))).toBe(false);
    expect(showBrowserAlert(notice, deps('granted', false))).toBe(true);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({
      title: 'Watched port 3389 opened',
      options: { body: 'TCP 3389 → pc', tag: 'portpilot-tcp/3389' },
    });
    (made[0]!.n.onclick as () => void)();
    expect(made[0]!.n.closed).toBe(true);
    expect(clicked).toBe(1);
  });
});
