/**
 * Device checks: is the device on an internal interface (guide: "The console's LAN interface is set
 * as type=internal"), does it ask for mappings at all (guide step 4: "Check client-side UPnP"), does
 * another device hold its port, and — for VoIP — the SIP helper the guide says to try before UPnP.
 */
import { makePlan } from '../config/plan';
import { roleSteps, roleWarnings, type Role } from '../config/roles';
import { step } from '../plans';
import { isTrue } from '../core/router-port';
import type { DiagnoseDevice } from '../../shared/domains/diagnose';
import { internalNames, type DiagnoseContext } from './context';
import { presetOf } from './checks-permissions';
import { result, type Check, type CheckInput } from './types';
import { plural } from '../../shared/words';

/** The internal interface a device's interface belongs to (itself, or the bridge it is a port of). */
function internalOf(ctx: DiagnoseContext, iface: string): string | null {
  const internal = internalNames(ctx);
  if (internal.includes(iface)) return iface;
  const bridge = ctx.bridgePorts.find((p) => p.interface === iface)?.bridge;
  return bridge && internal.includes(bridge) ? bridge : null;
}

export const deviceNotInternal: Check = {
  id: 'device-not-internal',
  title: 'The device is on an internal UPnP interface',
  needsDevice: true,
  run: ({ ctx, device }: CheckInput) => {
    const d = device as DiagnoseDevice;
    const title = 'The device is on an internal UPnP interface';
    if (!d.interface)
      return result(
        'device-not-internal',
        title,
        'unknown',
        [`${d.address} is in neither the ARP table nor a DHCP lease`],
        'PortPilot cannot tell which interface the device is on; is it switched on?',
      );
    const via = internalOf(ctx, d.interface);
    const ev = [
      `${d.address} is on ${d.interface} (${ctx.arp.some((a) => a['address'] === d.address) ? 'ARP' : 'DHCP server'})`,
      `internal UPnP interfaces: ${internalNames(ctx).join(', ') || 'none'}`,
    ];
    const vlan = ctx.vlans.find((v) => v.name === d.interface);
    if (vlan)
      ev.push(`${d.interface} is a VLAN on ${vlan.interface}: a VLAN is its own interface, not a port of the bridge`);
    if (via)
      return result('device-not-internal', title, 'pass', ev, `The device can reach the UPnP service on ${via}.`);
    const want: Role[] = [
      ...ctx.s.upnpInterfaces.map((r) => ({ interface: r.interface, type: r.type })),
      { interface: d.interface, type: 'internal' },
    ];
    const plan = makePlan(
      `Make ${d.interface} an internal UPnP interface`,
      roleSteps('upnp', ctx.s.upnpInterfaces, want),
      ctx.s,
      roleWarnings('upnp', want, ctx.s),
    );
    return result(
      'device-not-internal',
      title,
      'fail',
      ev,
      `RouterOS refuses mapping requests from hosts outside the internal interfaces, so this device gets none and reports Strict NAT. Either move the device to the main LAN, or make ${d.interface} internal — only if every device on it is trusted (only trusted home-network interfaces belong on the internal side).`,
      plan,
    );
  },
};

export const noMappingsForDevice: Check = {
  id: 'no-mappings-for-device',
  title: 'The device has port mappings',
  needsDevice: true,
  run: ({ ctx, device, symptom }: CheckInput) => {
    const d = device as DiagnoseDevice;
    const title = 'The device has port mappings';
    const mine = ctx.mappings.filter((m) => m.address === d.address);
    if (!d.online)
      return result(
        'no-mappings-for-device',
        title,
        'unknown',
        [
          `${d.address} is not on the network now (no ARP entry, lease not bound)`,
          ...mine.map(
            (m) => `left behind: ${m.source} ${m.protocol.toUpperCase()} ${m.externalPort} “${m.description}”`,
          ),
        ],
        mine.length
          ? 'The device is gone but its mappings stay (RouterOS keeps permanent mappings): review them on the Mappings screen. Switch the device on and run the checks again.'
          : 'Switch the device on and run the checks again.',
      );
    if (mine.length)
      return result(
        'no-mappings-for-device',
        title,
        'pass',
        mine.map(
          (m) => `${m.source} ${m.protocol.toUpperCase()} ${m.externalPort} → ${m.internalPort} “${m.description}”`,
        ),
        'The device asks for mappings and the router grants them.',
      );
    return result(
      'no-mappings-for-device',
      title,
      'warn',
      [
        `${d.address} is online; no UPnP or NAT-PMP rule points to it (${plural(ctx.mappings.length, 'mapping')} on the router)`,
      ],
      (symptom === 'after-restart'
        ? 'A router restart (or any change under /ip upnp) drops every mapping; the device asks again only when it restarts its own network session — run the console’s connection test. '
        : '') +
        'If the other checks pass, the device is not asking: turn on UPnP in the device’s own network settings (usually on for consoles, off by default on some PCs), then restart its network test. PortPilot cannot change the device’s settings.',
    );
  },
};

export const portConflict: Check = {
  id: 'port-conflict',
  title: 'No other device holds the same port',
  needsDevice: true,
  run: ({ ctx, device }: CheckInput) => {
    const d = device as DiagnoseDevice;
    const title = 'No other device holds the same port';
    const mine = ctx.mappings.filter((m) => m.address === d.address);
    const others = ctx.mappings.filter((m) => m.address !== d.address);
    const ev: string[] = [];
    for (const m of mine.filter((x) => x.externalPort !== x.internalPort)) {
      const holder = others.find((o) => o.protocol === m.protocol && o.externalPort === m.internalPort);
      ev.push(
        `${d.address} got ${m.protocol.toUpperCase()} ${m.externalPort} for its port ${m.internalPort}${holder ? `: ${holder.address} already holds ${m.internalPort}` : ''}`,
      );
    }
    for (const p of presetOf(d)?.ports ?? []) {
      const port = Number(p.ports.split('-')[0]);
      if (p.ports.includes('-') || port < 1024) continue;
      const holder = others.find(
        (o) => o.protocol === p.protocol && o.externalPort === port && o.internalPort === port,
      );
      if (holder && !mine.some((m) => m.protocol === p.protocol && m.internalPort === port))
        ev.push(
          `${holder.address} holds ${p.protocol.toUpperCase()} ${port} (“${holder.description}”), which ${d.hostName || d.address} also wants`,
        );
    }
    for (const m of mine) {
      const rival = others.find(
        (o) => o.protocol === m.protocol && o.internalPort === m.internalPort && o.externalPort !== o.internalPort,
      );
      if (rival)
        ev.push(
          `${rival.address} wanted the same ${m.protocol.toUpperCase()} ${m.internalPort} and got ${rival.externalPort} instead`,
        );
    }
    if (!ev.length)
      return result(
        'port-conflict',
        title,
        'pass',
        [`${plural(mine.length, 'mapping')} of ${d.address}, none contested`],
        'No two devices compete for the same external port.',
      );
    return result(
      'port-conflict',
      title,
      'warn',
      ev,
      'Two devices want the same external port (e.g. two consoles on UDP 3074): only one can have it, the other gets a different port or none and may report Moderate NAT. Set the alternate port in one console’s network settings (Xbox: “Alternate port selection”), or give one of them a static forward and leave UPnP to the other.',
    );
  },
};

export const sipHelper: Check = {
  id: 'sip-helper',
  title: 'SIP helper (try it before UPnP for VoIP)',
  needsDevice: false,
  run: ({ ctx }: CheckInput) => {
    const title = 'SIP helper (try it before UPnP for VoIP)';
    const sip = ctx.servicePorts?.find((r) => r['name'] === 'sip');
    if (!sip)
      return result(
        'sip-helper',
        title,
        'unknown',
        ['/ip firewall service-port has no sip entry'],
        'This router shows no SIP helper.',
      );
    const on = !isTrue(sip['disabled']);
    const ev = [`/ip firewall service-port sip: ${on ? 'enabled' : 'disabled'}, ports ${sip['ports'] ?? ''}`];
    if (on)
      return result(
        'sip-helper',
        title,
        'pass',
        ev,
        'The SIP helper (SIP ALG) is on, which is the first thing to try. If audio is still one-way, the helper may be rewriting the phone’s SDP badly: try turning it off and letting the phone use UPnP/STUN instead.',
      );
    return result(
      'sip-helper',
      title,
      'warn',
      ev,
      'RouterOS has a helper for phone calls (the SIP helper, or SIP ALG) that often makes them work through NAT without UPnP. Try it first; use UPnP only if calls still fail.',
      makePlan(
        'Turn the SIP helper on',
        [
          step({
            id: 'sip-helper-on',
            description: 'Enable the SIP helper (/ip firewall service-port sip)',
            op: {
              verb: 'set',
              menu: '/ip/firewall/service-port',
              find: { id: sip['.id'] ?? '' },
              attrs: { disabled: 'no' },
            },
          }),
        ],
        ctx.s,
      ),
    );
  },
};
