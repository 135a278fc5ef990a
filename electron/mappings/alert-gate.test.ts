import { describe, expect, it } from 'vitest';
import type { NoticePayload } from '../../shared/domains/alerts';
import { AlertGate, GROUP_MS, MAX_PER_WINDOW, WINDOW_MS } from './alert-gate';
import type { MappingAlert } from './alert-rules';
import { fakeClock } from './testing/fake-clock';

function alert(port: number, device: string, reasons: MappingAlert['reasons'] = ['new-host']): MappingAlert {
  return {
    mappingId: `tcp/${port}`,
    externalPort: port,
    port: `TCP ${port}`,
    reasons,
    device: { key: `mac-${device}`, label: device, address: `192.168.88.${device.length}` },
    what: `TCP ${port} → ${device}:${port} "x"`,
  };
}

function gate(paused = () => false) {
  const clock = fakeClock();
  const out: NoticePayload[] = [];
  const g = new AlertGate({ clock, paused, emit: (n) => out.push(n) });
  return { clock, out, g };
}

describe('alert gate: grouping', () => {
  it('one mapping gives one notice after the grouping window, titled by its first reason', () => {
    const { clock, out, g } = gate();
    g.push(alert(80, 'alex-laptop', ['privileged-port', 'new-host']));
    clock.advance(GROUP_MS - 1);
    expect(out).toEqual([]);
    clock.advance(1);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      kind: 'privileged-port',
      reasons: ['privileged-port', 'new-host'],
      mappingId: 'tcp/80',
      mappingIds: ['tcp/80'],
      count: 1,
      device: { label: 'alex-laptop' },
      title: 'Privileged port 80 opened',
    });
    expect(out[0]!.message).toMatch(/^TCP 80 → alex-laptop:80 "x": a privileged port .* and a device never seen/);
  });

  it('mappings one device opens together become "3 new mappings from alex-laptop"; other devices get their own', () => {
    const { clock, out, g } = gate();
    g.push(alert(3074, 'alex-laptop'));
    g.push(alert(3075, 'xbox', ['watched-port']));
    clock.advance(1000);
    g.push(alert(3076, 'alex-laptop', ['privileged-port']));
    g.push(alert(3077, 'alex-laptop'));
    clock.advance(GROUP_MS);
    expect(out.map((n) => n.title)).toEqual(['3 new mappings from alex-laptop', 'Watched port 3075 opened']);
    expect(out[0]).toMatchObject({
      mappingId: 'tcp/3074',
      mappingIds: ['tcp/3074', 'tcp/3076', 'tcp/3077'],
      count: 3,
      reasons: ['privileged-port', 'new-host'],
      device: { label: 'alex-laptop', address: '192.168.88.11' },
    });
    expect(out[0]!.message).toMatch(/^TCP 3074, TCP 3076, TCP 3077: a privileged port/);
  });
});

describe('alert gate: rate limit', () => {
  it(`sends at most ${MAX_PER_WINDOW} notices a minute and sums up the rest, losing nothing`, () => {
    const { clock, out, g } = gate();
    for (const d of ['a', 'bb', 'ccc', 'dddd', 'eeeee']) g.push(alert(1000 + d.length, d));
    clock.advance(GROUP_MS);
    expect(out).toHaveLength(MAX_PER_WINDOW);
    expect(out.slice(0, 2).map((n) => n.device?.label)).toEqual(['a', 'bb']);
    expect(out[2]).toMatchObject({ device: null, count: 3, title: '3 new mappings from 3 devices' });
    expect(out[2]!.mappingIds).toEqual(['tcp/1003', 'tcp/1004', 'tcp/1005']);
    expect(out[2]!.message).toMatch(/From ccc, dddd, eeeee: .* at most 3 alerts a minute/);

    // The window is full: the next alert waits until the oldest of the three is a minute old.
    g.push(alert(2000, 'later'));
    clock.advance(GROUP_MS);
    expect(out).toHaveLength(3);
    clock.advance(WINDOW_MS - GROUP_MS - 1);
    expect(out).toHaveLength(3);
    clock.advance(1);
    expect(out).toHaveLength(4);
    expect(out[3]).toMatchObject({ mappingId: 'tcp/2000', count: 1 });
  });

  it('a group held by the limit keeps collecting its device and goes out as one', () => {
    const { clock, out, g } = gate();
    for (const d of ['a', 'bb', 'ccc']) g.push(alert(100 + d.length, d));
    clock.advance(GROUP_MS);
    g.push(alert(5000, 'xbox'));
    clock.advance(20_000);
    g.push(alert(5001, 'xbox'));
    clock.advance(WINDOW_MS);
    expect(out.slice(3).map((n) => n.title)).toEqual(['2 new mappings from xbox']);
  });
});

describe('alert gate: pause', () => {
  it('drops alerts while paused, also those waiting when the pause began', () => {
    let paused = false;
    const { clock, out, g } = gate(() => paused);
    g.push(alert(80, 'a'));
    paused = true;
    clock.advance(GROUP_MS);
    g.push(alert(81, 'a'));
    clock.advance(GROUP_MS);
    expect(out).toEqual([]);
    paused = false;
    g.push(alert(82, 'a'));
    clock.advance(GROUP_MS);
    expect(out.map((n) => n.mappingIds)).toEqual([['tcp/82']]);
  });

  it('dispose cancels what waits', () => {
    const { clock, out, g } = gate();
    g.push(alert(80, 'a'));
    g.dispose();
    clock.advance(WINDOW_MS);
    expect(out).toEqual([]);
    expect(clock.pending()).toBe(0);
  });
});
