import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../shared/domains/config';
import { ContractError } from '../../../shared/contract/result';
import type { RouterPort } from '../../core/router-port';
import { demo } from '../../config/test-support';
import { memoryJournalStore } from '../../plans';
import { createConfigService } from './config-service';
import { testLink } from '../../../tests/support/test-link';
import { ChangeApplier } from '../change-applier';

const ctx = { transport: 'websocket' as const };

/** Counts every change sent to the router (print is free). */
function counting(router: RouterPort): RouterPort & { changes: number } {
  const out = {
    ...router,
    changes: 0,
    add: (m: string, a: Record<string, string>) => (out.changes++, router.add(m, a)),
    set: (m: string, id: string | null, a: Record<string, string>) => (out.changes++, router.set(m, id, a)),
    remove: (m: string, ids: string[]) => (out.changes++, router.remove(m, ids)),
    command: (m: string, v: string, a?: Record<string, string>) => (out.changes++, router.command(m, v, a)),
  };
  return out;
}

function service(profile: 'seed' | 'routeros7' = 'seed', scenario: 'fresh' | 'home' = 'fresh') {
  const { router } = demo(profile, scenario);
  const port = counting(router);
  const events: ProgressEvent[] = [];
  const journal = memoryJournalStore();
  const link = testLink(port);
  const changes = new ChangeApplier({ router: () => link, journal });
  const svc = createConfigService({ router: () => link, changes, emit: (_n, e) => events.push(e) });
  return { svc, port, events, journal };
}

async function fieldErrors(p: Promise<unknown>): Promise<Array<{ field: string; message: string }>> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ContractError);
  expect((err as ContractError).code).toBe('invalid-input');
  return ((err as ContractError).detail as { fields: Array<{ field: string; message: string }> }).fields;
}

const forward = {
  inInterface: 'ether1',
  protocol: 'tcp',
  dstPort: '443',
  toAddress: '192.168.88.10',
  toPort: '',
  comment: 'web',
  hairpinSubnet: '',
};

describe('config service: validation before anything is sent', () => {
  it.each([
    ['70000', /out of range/],
    ['10-5', /backwards/],
    ['abc', /not a port/],
  ])('port %s → a field error naming dstPort', async (dstPort, message) => {
    const { svc, port } = service();
    const fields = await fieldErrors(svc.planForward({ ...forward, dstPort }, ctx));
    expect(fields).toEqual([{ field: 'forward.dstPort', message: expect.stringMatching(message) }]);
    expect(port.changes).toBe(0);
  });

  it('bad address, unknown interface and protocol are each named', async () => {
    const { svc, port } = service();
    const fields = await fieldErrors(
      svc.planForward({ ...forward, toAddress: '192.168.88.300', inInterface: 'wan9', protocol: 'icmp' }, ctx),
    );
    expect(fields.map((f) => f.field).sort()).toEqual(['forward.inInterface', 'forward.protocol', 'forward.toAddress']);
    expect(fields.find((f) => f.field === 'forward.inInterface')?.message).toMatch(/no interface “wan9”/);
    const perm = await fieldErrors(
      svc.planPermissions(
        {
          rules: [
            {
              action: 'deny',
              interface: 'ether9',
              protocol: 'tcp',
              dstPort: '10-5',
              internalAddress: 'x',
              comment: '',
            },
          ],
        },
        ctx,
      ),
    );
    expect(perm.map((f) => f.field)).toEqual([
      'permissions[0].interface',
      'permissions[0].dstPort',
      'permissions[0].internalAddress',
    ]);
    const roles = await fieldErrors(
      svc.planRoles(
        {
          service: 'nat-pmp',
          roles: [
            { interface: 'ether1', type: 'external' },
            { interface: 'ether2', type: 'external' },
          ],
        },
        ctx,
      ),
    );
    expect(roles.map((f) => f.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/internal/), 'NAT-PMP allows only one external interface']),
    );
    const wizard = await fieldErrors(
      svc.wizardPlan(
        {
          internal: ['bridge-lan'],
          external: 'ether1',
          security: 'high-ports',
          devices: [{ address: '10.0.0', preset: 'xbox' }],
          natPmp: true,
        },
        ctx,
      ),
    );
    expect(wizard).toEqual([{ field: 'devices[0].address', message: expect.stringMatching(/IPv4/) }]);
    expect(port.changes).toBe(0);
  });
});

describe('config service: plans and apply', () => {
  it('wizard plan → apply by id with progress → verify', async () => {
    const { svc, events } = service('seed', 'fresh');
    const start = await svc.wizardStart(undefined, ctx);
    const plan = await svc.wizardPlan(
      {
        internal: start.internal.filter((c) => c.recommended).map((c) => c.interface),
        external: start.external[0]?.interface ?? '',
        security: 'high-ports',
        devices: [],
        natPmp: true,
      },
      ctx,
    );
    expect(plan.script).toMatch(/^\/ip upnp set enabled=yes$/m);
    expect('op' in (plan.steps[0] ?? {})).toBe(false);
    const report = await svc.apply({ planId: plan.id }, ctx);
    expect(report.outcome).toBe('applied');
    expect(events.filter((e) => e.phase === 'applied')).toHaveLength(plan.steps.length);
    const v = await svc.verify(undefined, ctx);
    expect(v.problems).toEqual([]);
    expect(v.upnpInterfaces.map((r) => r['type'])).toEqual(['internal', 'external']);
    await expect(svc.apply({ planId: plan.id }, ctx)).rejects.toMatchObject({ code: 'unknown-plan' });
  });

  it('warns when the WAN is made internal', async () => {
    const { svc } = service('seed', 'fresh');
    const plan = await svc.planRoles(
      {
        service: 'upnp',
        roles: [
          { interface: 'ether1', type: 'internal' },
          { interface: 'ether2', type: 'external' },
        ],
      },
      ctx,
    );
    expect(plan.warnings.join(' ')).toMatch(/ether1 faces the internet.*default route/);
  });

  it('adds a port forward with hairpin NAT once; the same forward again is nothing to do', async () => {
    const { svc } = service('routeros7', 'home');
    const plan = await svc.planForward({ ...forward, hairpinSubnet: '192.168.88.0/24' }, ctx);
    expect(plan.script).toContain(
      '/ip firewall nat add chain=dstnat in-interface=ether1 protocol=tcp dst-port=443 action=dst-nat to-addresses=192.168.88.10 to-ports=443 comment=web',
    );
    expect(plan.script).toContain(
      'chain=srcnat action=masquerade src-address=192.168.88.0/24 dst-address=192.168.88.10',
    );
    expect((await svc.apply({ planId: plan.id }, ctx)).outcome).toBe('applied');
    expect((await svc.planForward({ ...forward, hairpinSubnet: '192.168.88.0/24' }, ctx)).steps).toEqual([]);
    const view = await svc.read(undefined, ctx);
    expect(view.forwards.map((f) => [f.dstPort, f.toAddress])).toEqual([['443', '192.168.88.10']]);
    expect(view.permissions).toBeNull();
  });

  it('RouterOS 7: the protection rules read back as the policy they came from, so re-planning it changes nothing', async () => {
    const { svc } = service('routeros7', 'home');
    const rules = [
      {
        action: 'allow' as const,
        interface: 'ether1',
        protocol: 'tcp',
        dstPort: '32400',
        internalAddress: '192.168.88.10',
        comment: 'Plex server',
      },
      {
        action: 'deny' as const,
        interface: 'ether1',
        protocol: 'tcp',
        dstPort: '32400',
        internalAddress: '',
        comment: 'block others from Plex port',
      },
      {
        action: 'deny' as const,
        interface: 'ether1',
        protocol: 'udp',
        dstPort: '0-1023',
        internalAddress: '',
        comment: 'block privileged UDP',
      },
    ];
    const plan = await svc.planPermissions({ rules }, ctx);
    expect(plan.title).toMatch(/firewall/);
    expect((await svc.apply({ planId: plan.id }, ctx)).outcome).toBe('applied');
    const view = await svc.read(undefined, ctx);
    expect(view.protection.map((p) => p.action)).toEqual(['accept', 'drop', 'drop']);
    expect(view.policy).toEqual(rules);
    expect((await svc.planPermissions({ rules: view.policy }, ctx)).steps).toEqual([]);
    expect((await svc.planPermissions({ rules: [] }, ctx)).steps.map((s) => s.description)).toHaveLength(3);
  });

  it('EIM rule: added once, removed again; undo of the last change restores it', async () => {
    const { svc } = service('seed', 'home');
    const add = await svc.planEim({ enabled: true }, ctx);
    expect(add.script).toContain(
      '/ip firewall nat add chain=srcnat action=endpoint-independent-nat out-interface=ether1 protocol=udp comment="endpoint-independent NAT for UDP"',
    );
    expect(add.script).toContain('chain=dstnat action=endpoint-independent-nat in-interface=ether1 protocol=udp');
    await svc.apply({ planId: add.id }, ctx);
    expect((await svc.read(undefined, ctx)).eim).toBe(true);
    expect((await svc.planEim({ enabled: true }, ctx)).steps).toEqual([]);
    const remove = await svc.planEim({ enabled: false }, ctx);
    await svc.apply({ planId: remove.id }, ctx);
    expect((await svc.read(undefined, ctx)).eim).toBe(false);
    const undo = await svc.rollback(undefined, ctx);
    expect(undo.outcome).toBe('rolled-back');
    expect((await svc.read(undefined, ctx)).eim).toBe(true);
  });

  it('a permission list whose order makes a rule dead says so in the preview', async () => {
    const { svc } = service('seed', 'home');
    const rule = (action: 'allow' | 'deny', dstPort: string, internalAddress = '') => ({
      action,
      interface: 'ether1',
      protocol: 'tcp',
      dstPort,
      internalAddress,
      comment: '',
    });
    const plan = await svc.planPermissions({ rules: [rule('allow', '1024-65535'), rule('deny', '32400')] }, ctx);
    expect(plan.warnings).toContain(
      'Rule 2 can never match: rule 1 (allow TCP port 1024-65535 on ether1) always matches first.',
    );
  });

  it('not connected → not-connected', async () => {
    const changes = new ChangeApplier({ router: () => null, journal: memoryJournalStore() });
    const svc = createConfigService({ router: () => null, changes, emit: () => undefined });
    await expect(svc.read(undefined, ctx)).rejects.toMatchObject({ code: 'not-connected' });
  });
});
