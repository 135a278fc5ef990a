import { describe, expect, it } from 'vitest';
import type { NotificationConstructorOptions } from 'electron';
import type { OpenRequest } from '../../shared/domains/app';
import { mappingsDomain, type NoticePayload } from '../../shared/domains/mappings';
import { EventHub } from '../host/event-hub';
import { electronNotifier, forwardNotices } from './notifications';

const notice = (over: Partial<NoticePayload> = {}): NoticePayload => ({
  kind: 'privileged-port',
  reasons: ['privileged-port'],
  mappingId: 'tcp/80',
  mappingIds: ['tcp/80'],
  count: 1,
  device: { label: 'alex-laptop', address: '192.168.88.20' },
  title: 'Port 80 opened',
  message: 'by 192.168.88.20',
  ...over,
});

function setup(focused = false) {
  const hub = new EventHub();
  const shown: Array<{ text: string; click: () => void }> = [];
  const opened: OpenRequest[] = [];
  let isFocused = focused;
  const stop = forwardNotices(
    hub,
    { isSupported: () => true, show: (n, click) => shown.push({ text: `${n.title}|${n.body}`, click }) },
    { windowFocused: () => isFocused, open: (r) => opened.push(r) },
  );
  return { hub, shown, opened, stop, focus: (v: boolean) => (isFocused = v) };
}

describe('desktop notifications', () => {
  it('shows each mappings notice and nothing else', () => {
    const { hub, shown, stop } = setup();
    hub.sink(mappingsDomain)('status', { phase: 'live', message: null, count: 1 });
    hub.sink(mappingsDomain)('notice', notice());
    stop();
    hub.sink(mappingsDomain)('notice', notice({ kind: 'new-host', mappingId: 'udp/3074' }));
    expect(shown.map((s) => s.text)).toEqual(['Port 80 opened|by 192.168.88.20']);
  });

  it('a click opens that row; a group of one device opens its first row with the table filtered to it', () => {
    const { hub, shown, opened } = setup();
    hub.sink(mappingsDomain)('notice', notice());
    hub.sink(mappingsDomain)(
      'notice',
      notice({ mappingId: 'udp/3074', mappingIds: ['udp/3074', 'udp/3075', 'udp/3076'], count: 3, title: '3 new' }),
    );
    hub.sink(mappingsDomain)('notice', notice({ mappingId: 'tcp/9', count: 4, device: null }));
    shown.forEach((s) => s.click());
    expect(opened).toEqual([
      { kind: 'mapping', mappingId: 'tcp/80', filter: null },
      { kind: 'mapping', mappingId: 'udp/3074', filter: '192.168.88.20' },
      { kind: 'mapping', mappingId: 'tcp/9', filter: null },
    ]);
  });

  it('not while the window is in front: its toast shows the notice already', () => {
    const { hub, shown, focus } = setup(true);
    hub.sink(mappingsDomain)('notice', notice());
    focus(false);
    hub.sink(mappingsDomain)('notice', notice({ title: 'later' }));
    expect(shown.map((s) => s.text)).toEqual(['later|by 192.168.88.20']);
  });
});

describe('Electron notifier (electron mocked)', () => {
  it('shows a Notification and runs the click handler once clicked', () => {
    const made: FakeNotification[] = [];
    class FakeNotification {
      handlers = new Map<string, () => void>();
      shown = false;
      constructor(readonly options: NotificationConstructorOptions) {
        made.push(this);
      }
      static isSupported = () => true;
      on(name: string, fn: () => void) {
        this.handlers.set(name, fn);
      }
      show() {
        this.shown = true;
      }
    }
    const clicks: string[] = [];
    const notifier = electronNotifier(FakeNotification as never);
    expect(notifier.isSupported()).toBe(true);
    notifier.show({ title: 'T', body: 'B' }, () => clicks.push('clicked'));
    expect(made[0]).toMatchObject({ options: { title: 'T', body: 'B' }, shown: true });
    made[0]!.handlers.get('click')!();
    expect(clicks).toEqual(['clicked']);
  });
});
