/**
 * Router-wide checks from the guide's "no mappings appear" list and its NAT Type 3 advice: UPnP on,
 * both roles present, the external role on the WAN, double NAT, and endpoint-independent UDP NAT.
 */
import { classifyIPv4 } from '../net/ipv4';
import { describeNatRule, eimState, eimSteps, eimSupport } from '../config/eim';
import { makePlan } from '../config/plan';
import { roleSteps, roleWarnings, settingsSteps, type Role } from '../config/roles';
import { detectRoles } from '../config/wizard/detect';
import { activeRoles, type DiagnoseContext } from './context';
import { result, type Check, type CheckResult } from './types';

const rolesNow = (c: DiagnoseContext): Role[] =>
  c.s.upnpInterfaces.map((r) => ({ interface: r.interface, type: r.type }));

function rolePlan(c: DiagnoseContext, title: string, want: Role[]) {
  return makePlan(title, roleSteps('upnp', c.s.upnpInterfaces, want), c.s, roleWarnings('upnp', want, c.s));
}

export const upnpDisabled: Check = {
  id: 'upnp-disabled',
  title: 'UPnP is enabled',
  needsDevice: false,
  run: ({ ctx, symptom }) => {
    const on = ctx.s.upnp.enabled;
    // The guide: "If UPnP stops working after RouterOS restarts, verify your configuration is saved (not
    // just applied in-session) … review /ip upnp print after reboot to confirm enabled=yes persists."
    const restart =
      symptom === 'after-restart'
        ? on
          ? ' The setting survived the restart. A restart drops every mapping: devices must ask again (restart the console’s network test).'
          : ' After a restart this means the setting was not saved: turn it on with PortPilot (changes go through the API and persist) and check again after the next reboot.'
        : '';
    const plan = on
      ? null
      : makePlan(
          'Turn UPnP on',
          settingsSteps(ctx.s, { ...ctx.s.upnp, enabled: true, allowDisableExternalInterface: false }),
          ctx.s,
        );
    return result(
      'upnp-disabled',
      'UPnP is enabled',
      on ? 'pass' : 'fail',
      [`/ip upnp print: enabled=${on ? 'yes' : 'no'}`],
      (on
        ? 'The UPnP service is running.'
        : 'The UPnP service is off, so the router answers no mapping request. Turn it on (on the router: /ip upnp set enabled=yes).') +
        restart,
      plan,
    );
  },
};

export const noInternal: Check = {
  id: 'no-internal-interface',
  title: 'An internal (LAN) UPnP interface is set',
  needsDevice: false,
  run: ({ ctx }) => {
    const internal = activeRoles(ctx).filter((r) => r.type === 'internal');
    if (internal.length)
      return result(
        'no-internal-interface',
        roleTitle('internal'),
        'pass',
        [`internal: ${internal.map((r) => r.interface).join(', ')}`],
        'UPnP listens on these LAN interfaces.',
      );
    const candidates = detectRoles(ctx.s).internal.filter((x) => x.recommended);
    const want = [...rolesNow(ctx), ...candidates.map((x) => ({ interface: x.interface, type: 'internal' as const }))];
    return result(
      'no-internal-interface',
      roleTitle('internal'),
      'fail',
      [
        '/ip upnp interfaces: no enabled row with type=internal',
        ...candidates.map((x) => `LAN candidate ${x.interface}: ${x.evidence.join('; ')}`),
      ],
      'UPnP requires at least one internal interface (LAN side); without it no device can ask for a mapping.',
      candidates.length ? rolePlan(ctx, 'Make the LAN an internal UPnP interface', want) : null,
    );
  },
};

function roleTitle(kind: 'internal' | 'external'): string {
  return kind === 'internal' ? 'An internal (LAN) UPnP interface is set' : 'An external (WAN) UPnP interface is set';
}

export const noExternal: Check = {
  id: 'no-external-interface',
  title: roleTitle('external'),
  needsDevice: false,
  run: ({ ctx }) => {
    const external = activeRoles(ctx).filter((r) => r.type === 'external');
    if (external.length)
      return result(
        'no-external-interface',
        roleTitle('external'),
        'pass',
        [`external: ${external.map((r) => r.interface).join(', ')}`],
        'Mappings are opened on this WAN interface.',
      );
    const wan = detectRoles(ctx.s).external.find((x) => x.recommended);
    const want = [...rolesNow(ctx), ...(wan ? [{ interface: wan.interface, type: 'external' as const }] : [])];
    return result(
      'no-external-interface',
      roleTitle('external'),
      'fail',
      [
        '/ip upnp interfaces: no enabled row with type=external',
        ...(wan ? [`WAN candidate ${wan.interface}: ${wan.evidence.join('; ')}`] : []),
      ],
      'UPnP requires an external interface (WAN side facing the internet) to open ports on.',
      wan ? rolePlan(ctx, 'Make the WAN the external UPnP interface', want) : null,
    );
  },
};

export const externalNotWan: Check = {
  id: 'external-not-wan',
  title: 'The external interface carries the default route',
  needsDevice: false,
  run: ({ ctx }) => {
    const title = 'The external interface carries the default route';
    const external = activeRoles(ctx)
      .filter((r) => r.type === 'external')
      .map((r) => r.interface);
    const routes = ctx.s.defaultRouteInterfaces;
    if (!external.length || !routes.length)
      return result(
        'external-not-wan',
        title,
        'unknown',
        [`external: ${external.join(', ') || 'none'}`, `default route via: ${routes.join(', ') || 'unknown'}`],
        'Cannot compare: the external role or the default route is missing.',
      );
    if (external.some((e) => routes.includes(e)))
      return result(
        'external-not-wan',
        title,
        'pass',
        [`default route via ${routes.join(', ')}; external: ${external.join(', ')}`],
        'Mappings open on the interface traffic from the internet arrives on.',
      );
    const want: Role[] = [
      ...rolesNow(ctx).filter((r) => r.type === 'internal' && r.interface !== routes[0]),
      { interface: routes[0] ?? '', type: 'external' },
    ];
    return result(
      'external-not-wan',
      title,
      'fail',
      [`external UPnP interface: ${external.join(', ')}`, `the default route goes out through ${routes.join(', ')}`],
      'The external role is on an interface the internet does not reach the router through, so mappings open on the wrong side.',
      rolePlan(ctx, `Make ${routes[0]} the external UPnP interface`, want),
    );
  },
};

export function doubleNatResult(ctx: DiagnoseContext): CheckResult {
  const title = 'The router has a public WAN address (no double NAT)';
  const wan = ctx.wanAddress;
  const ev: string[] = [];
  const bad: string[] = [];
  if (wan) {
    const kind = classifyIPv4(wan);
    ev.push(`WAN address on ${ctx.wan}: ${wan} (${kind})`);
    if (kind === 'private')
      bad.push(`${wan} is a private (RFC 1918) address: another router in front of this one does NAT`);
    else if (kind === 'cgnat') bad.push(`${wan} is in 100.64.0.0/10 (RFC 6598): the provider uses carrier-grade NAT`);
    else if (kind !== 'public') bad.push(`${wan} is not a public Internet address (${kind})`);
  }
  const gw = ctx.s.dhcpClients.find((c) => c.interface === ctx.wan);
  if (gw) ev.push(`DHCP client on ${ctx.wan}: ${gw.status}`);
  if (ctx.igdExternalIp !== undefined) {
    ev.push(`IGD GetExternalIPAddress: ${ctx.igdExternalIp || '(empty)'}`);
    if (wan && ctx.igdExternalIp && ctx.igdExternalIp !== wan)
      bad.push(`the IGD reports ${ctx.igdExternalIp} but the router's WAN address is ${wan}`);
  }
  if (!wan && ctx.igdExternalIp === undefined)
    return result(
      'double-nat',
      title,
      'unknown',
      ev.length ? ev : ['no address on the WAN interface'],
      'PortPilot could not find the WAN address.',
    );
  if (!bad.length)
    return result(
      'double-nat',
      title,
      'pass',
      ev,
      'The router itself holds the public address: UPnP mappings are reachable from the internet.',
    );
  return result(
    'double-nat',
    title,
    'fail',
    [...ev, ...bad],
    'Double NAT: UPnP only opens ports in the local router’s NAT. The device in front of it (ISP modem/router, or the provider’s CGNAT) still drops unsolicited traffic, so consoles stay Moderate/Strict. PortPilot cannot fix this from this router: put the ISP box in bridge/modem mode, or use its DMZ/“exposed host” pointing at this router’s WAN address' +
      (wan ? ` (${wan})` : '') +
      ', or ask the provider for a public IPv4 address.',
  );
}

export const doubleNat: Check = {
  id: 'double-nat',
  title: 'No double NAT',
  needsDevice: false,
  run: ({ ctx }) => doubleNatResult(ctx),
};

function eimEvidence(ctx: DiagnoseContext): string[] {
  const st = eimState(ctx.s, ctx.wan);
  const ev: string[] = [];
  ev.push(
    st.first
      ? `first srcnat rule UDP out of ${ctx.wan} reaches: ${describeNatRule(st.first)}`
      : `no srcnat rule takes UDP out of ${ctx.wan || 'the WAN'}`,
  );
  if (st.shadowed)
    ev.push(`the endpoint-independent-nat rule ${describeNatRule(st.shadowed)} comes after it, where it never matches`);
  const masqUdp = ctx.s.nat.find(
    (r) => r['chain'] === 'srcnat' && r['action'] === 'masquerade' && r['protocol'] === 'udp',
  );
  if (masqUdp && !st.mapping)
    ev.push(`${describeNatRule(masqUdp)} is a masquerade: it does not make UDP mappings endpoint-independent`);
  ev.push(
    st.filtering
      ? `dstnat rule for any peer: ${describeNatRule(st.filtering)}`
      : `no dstnat endpoint-independent-nat rule on ${ctx.wan || 'the WAN'}: only the peer a mapping was opened to may answer`,
  );
  return ev;
}

export const noEimUdp: Check = {
  id: 'no-eim-udp',
  title: 'Endpoint-independent NAT for UDP',
  needsDevice: false,
  run: ({ ctx, device }) => {
    const title = 'Endpoint-independent NAT for UDP';
    const st = eimState(ctx.s, ctx.wan);
    const evidence = eimEvidence(ctx);
    if (st.mapping && st.filtering)
      return result(
        'no-eim-udp',
        title,
        'pass',
        evidence,
        'UDP flows keep one public port for every peer, and any peer may use it: hole punching works without UPnP (RouterOS action=endpoint-independent-nat, RFC 4787 EIM + EIF).',
      );
    const forSwitch =
      device?.platform === 'switch'
        ? ' The Nintendo Switch relies on this more than other consoles (its NAT types C/D come from port-changing NAT).'
        : '';
    const support = eimSupport(ctx.routerVersion);
    const why =
      'Keeping one public port per UDP connection, whoever it talks to (endpoint-independent mapping), helps games and voice calls connect even without UPnP. RouterOS 7.10 and later can do it with two rules (action=endpoint-independent-nat: one before the masquerade rule, one for incoming traffic).' +
      forSwitch;
    if (support.supported === false)
      return result('no-eim-udp', title, 'warn', [...evidence, support.why], `${why} ${support.why}`, null);
    const steps = ctx.wan ? eimSteps(ctx.s, ctx.wan, ctx.routerVersion) : [];
    const warnings = support.supported === 'unknown' ? [support.why] : [];
    return result(
      'no-eim-udp',
      title,
      'warn',
      evidence,
      why,
      steps.length ? makePlan('Endpoint-independent NAT for UDP', steps, ctx.s, warnings) : null,
    );
  },
};
