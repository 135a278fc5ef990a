/**
 * The cleanup's safety property (issue 11, "Never lose a mapping silently"), over every combination
 * of the demo router's switches for what real RouterOS may allow, random LAN states, random
 * selections, and answers remembered from before that may be wrong now (the router changed):
 * after any cleanup every mapping that was not selected is on the router or reported as not restored,
 * every selected one has an outcome that matches the router, and no static rule is touched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanupHarness, onDevice, staticRules } from '../../tests/support/cleanup-harness';
import { DemoDevice } from '../demo-router/device/device';
import { addHost, seedMapping } from '../demo-router/device/scenarios/hosts';
import { buildScenario } from '../demo-router/device/scenarios/index';

const LOCAL = { user: 't', remoteAddress: '127.0.0.1' };
const answer = fc.constantFrom('allowed' as const, 'refused' as const, 'unknown' as const);
const toggle = fc.constantFrom('allow' as const, 'refuse' as const);

const state = fc.record({
  profile: fc.constantFrom('routeros7' as const, 'seed' as const),
  unknowns: fc.record({ dynamicRemove: toggle, foreignDelete: toggle, foreignAdd: toggle }),
  remembered: fc.record({ dynamicRemove: answer, foreignDelete: answer, foreignAdd: answer }),
  igd: fc.boolean(),
  hosts: fc.array(fc.record({ present: fc.boolean(), goneDays: fc.integer({ min: 0, max: 10 }) }), {
    minLength: 1,
    maxLength: 6,
  }),
  mappings: fc.array(
    fc.record({ host: fc.nat(), port: fc.integer({ min: 20000, max: 20100 }), udp: fc.boolean(), pmp: fc.boolean() }),
    { maxLength: 15 },
  ),
  statics: fc.array(fc.record({ port: fc.integer({ min: 20000, max: 20100 }), udp: fc.boolean(), host: fc.nat() }), {
    maxLength: 5,
  }),
  pick: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
  single: fc.option(fc.nat(), { nil: null }),
  foreign: fc.boolean(),
});
type State = typeof state extends fc.Arbitrary<infer T> ? T : never;

function build(s: State): DemoDevice {
  const dev = new DemoDevice({ profile: s.profile, unknowns: s.unknowns });
  buildScenario(dev, 'home');
  const address = (n: number) => `192.168.88.${150 + (n % s.hosts.length)}`;
  s.hosts.forEach((h, i) =>
    addHost(dev, {
      hostName: `h${i}`,
      address: address(i),
      mac: `02:00:00:00:00:${(16 + i).toString(16)}`,
      present: h.present,
      goneFor: h.goneDays * 86_400_000 + 60_000,
    }),
  );
  for (const m of s.mappings) {
    const protocol = m.udp ? 'udp' : 'tcp';
    if (dev.backend.store.get(protocol, m.port)) continue;
    const source = m.pmp ? ('nat-pmp' as const) : ('upnp' as const);
    seedMapping(dev, {
      source,
      protocol,
      port: m.port,
      address: address(m.host),
      description: 'prop',
      leaseSeconds: m.pmp ? 3600 : 0,
    });
  }
  for (const st of s.statics) {
    // Static rules that look exactly like UPnP ones, comment included.
    const to = address(st.host);
    const attrs = { chain: 'dstnat', action: 'dst-nat', protocol: st.udp ? 'udp' : 'tcp', 'dst-port': String(st.port) };
    dev.command('/ip/firewall/nat', 'add', { ...attrs, 'to-addresses': to, comment: `upnp ${to}: prop` }, LOCAL);
  }
  return dev;
}

describe('cleanup safety property (fast-check over switches, LAN states and selections)', () => {
  it('every mapping not selected is present or reported not restored; selected ones match the router; statics untouched', async () => {
    await fc.assert(
      fc.asyncProperty(state, async (s) => {
        const dev = build(s);
        const statics = staticRules(dev);
        const before = onDevice(dev);
        const c = await cleanupHarness(dev, { learned: s.remembered, ...(s.igd ? {} : { igd: null }) });
        try {
          const all = c.h.monitor.list();
          const only = s.single === null ? undefined : all[s.single % Math.max(1, all.length)]?.id;
          const preview = await c.cleanup.preview(c.target, only ? { only } : {});
          const candidates = preview.candidates.map((x) => x.mapping.id);
          if (!only) for (const x of preview.candidates) expect(x.mapping.status).toBe('stale');
          const selected = only ? candidates : candidates.filter((_, i) => s.pick[i % s.pick.length]);
          const outside = all.map((v) => v.id).filter((id) => !candidates.includes(id));
          const confirm = { strategy: 'flush-and-restore', acceptLoss: true } as const;
          if (s.foreign && outside.length > 0) {
            await expect(
              c.cleanup.run(c.target, preview.previewId, [...selected, outside[0] ?? ''], confirm),
            ).rejects.toMatchObject({ code: 'not-in-preview' });
            expect(onDevice(dev)).toEqual(before);
          } else if (selected.length > 0) {
            const summary = await c.cleanup.run(c.target, preview.previewId, selected, confirm);
            const after = onDevice(dev);
            const key = (id: string) => [...before].find((k) => k.startsWith(`${id}@`)) ?? '';
            // Every selected mapping has one outcome, and "removed" means gone from the router.
            expect(summary.targets.map((t) => t.id).sort()).toEqual([...selected].sort());
            for (const t of summary.targets) if (t.result === 'removed') expect(after.has(key(t.id))).toBe(false);
            // Every mapping that was not selected is back, or listed as not restored with what to do.
            const notRestored = new Set(summary.kept.filter((k) => k.result === 'not-restored').map((k) => k.id));
            for (const k of before) {
              const id = k.split('@')[0] ?? '';
              if (selected.includes(id)) continue;
              if (!after.has(k)) expect(notRestored.has(id), `${k} lost silently`).toBe(true);
            }
            for (const k of summary.kept)
              if (k.result === 'not-restored') expect(summary.groups[k.group]?.action).toBeTruthy();
          }
        } finally {
          await c.stop();
        }
        expect(staticRules(dev)).toEqual(statics);
      }),
      { numRuns: 80 },
    );
  }, 120_000);
});
