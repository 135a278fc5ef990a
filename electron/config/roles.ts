/**
 * UPnP settings and the internal/external roles of interfaces, for UPnP and NAT-PMP. The guide:
 * "UPnP requires at least one internal interface (LAN side) and one external interface (WAN side)",
 * "Never add an untrusted or public-facing interface as internal"; NAT-PMP takes one external only
 * (RouterOS: "only one external interface can be added to the list").
 */
import { restartsOf, step } from '../plans';
import { parseInterface, ValidationError, Validator } from '../plans/validate';
import type { Step } from '../plans/types';
import { interfaceNames, type RoleRow, type RouterSnapshot, type UpnpSettings } from './snapshot';

export type Service = 'upnp' | 'nat-pmp';
export interface Role {
  interface: string;
  type: 'internal' | 'external';
}

const MENU: Record<Service, string> = { upnp: '/ip/upnp/interfaces', 'nat-pmp': '/ip/nat-pmp/interfaces' };
const LABEL: Record<Service, string> = { upnp: 'UPnP', 'nat-pmp': 'NAT-PMP' };

/** The guide's recommended settings. */
export const RECOMMENDED: UpnpSettings = { enabled: true, allowDisableExternalInterface: false, showDummyRule: true };

const yn = (b: boolean): string => (b ? 'yes' : 'no');

/**
 * One step that sets only the settings that differ, and says only those (issue 13: the step listed all
 * three, as if each changed).
 */
export function settingsSteps(s: RouterSnapshot, want: UpnpSettings): Step[] {
  const attrs: Record<string, string> = {};
  const said: string[] = [];
  if (s.upnp.enabled !== want.enabled) {
    attrs['enabled'] = yn(want.enabled);
    said.push(want.enabled ? 'turn UPnP on' : 'turn UPnP off');
  }
  if (s.upnp.allowDisableExternalInterface !== want.allowDisableExternalInterface) {
    attrs['allow-disable-external-interface'] = yn(want.allowDisableExternalInterface);
    said.push(
      want.allowDisableExternalInterface
        ? 'let devices switch off the Internet side'
        : 'stop devices from switching off the Internet side',
    );
  }
  if (s.upnp.showDummyRule !== want.showDummyRule) {
    attrs['show-dummy-rule'] = yn(want.showDummyRule);
    said.push(
      want.showDummyRule ? 'show a placeholder mapping (for older Windows programs)' : 'hide the placeholder mapping',
    );
  }
  if (said.length === 0) return [];
  const description = said.join('; ');
  return [
    step({
      id: 'upnp-settings',
      description: description.charAt(0).toUpperCase() + description.slice(1),
      op: { verb: 'set', menu: '/ip/upnp', find: null, attrs },
      ...restartsOf('/ip/upnp'),
    }),
  ];
}

export function natPmpEnabledSteps(s: RouterSnapshot, enabled: boolean): Step[] {
  if (!s.natPmp || s.natPmp.enabled === enabled) return [];
  return [
    step({
      id: 'natpmp-enabled',
      description: `Turn NAT-PMP ${enabled ? 'on' : 'off'}`,
      op: { verb: 'set', menu: '/ip/nat-pmp', find: null, attrs: { enabled: yn(enabled) } },
      ...restartsOf('/ip/nat-pmp'),
    }),
  ];
}

export function validateRoles(service: Service, roles: Role[], s: RouterSnapshot): Role[] {
  const v = new Validator();
  const names = interfaceNames(s);
  const out = roles.map((r, i) => ({
    interface: v.check(() => parseInterface(`${service}.roles[${i}].interface`, r.interface, names)) ?? r.interface,
    type: r.type,
  }));
  const field = `${service}.roles`;
  if (!out.some((r) => r.type === 'internal'))
    v.errors.push({ field, message: `${LABEL[service]} needs at least one internal (LAN) interface` });
  if (!out.some((r) => r.type === 'external'))
    v.errors.push({ field, message: `${LABEL[service]} needs an external (WAN) interface` });
  if (service === 'nat-pmp' && out.filter((r) => r.type === 'external').length > 1)
    v.errors.push({ field, message: 'NAT-PMP allows only one external interface' });
  const seen = new Set<string>();
  for (const r of out) {
    if (seen.has(r.interface)) v.errors.push({ field, message: `${r.interface} is listed twice` });
    seen.add(r.interface);
  }
  v.done();
  return out;
}

/** Removals first (NAT-PMP refuses a second external), then role changes, then additions. */
export function roleSteps(service: Service, current: RoleRow[], want: Role[]): Step[] {
  const menu = MENU[service];
  const restart = restartsOf(menu);
  const label = LABEL[service];
  const removes: Step[] = [];
  const sets: Step[] = [];
  const adds: Step[] = [];
  for (const row of current) {
    if (!want.some((w) => w.interface === row.interface)) {
      removes.push(
        step({
          id: `${service}-if-remove-${row.interface}`,
          description: `Stop using ${row.interface} for ${label}`,
          op: { verb: 'remove', menu, find: { id: row.id } },
          ...restart,
        }),
      );
    }
  }
  for (const w of want) {
    const row = current.find((r) => r.interface === w.interface);
    if (!row) {
      adds.push(
        step({
          id: `${service}-if-add-${w.interface}`,
          description: `Use ${w.interface} as ${label} ${w.type} interface (${w.type === 'internal' ? 'LAN side' : 'WAN side'})`,
          op: { verb: 'add', menu, attrs: { interface: w.interface, type: w.type } },
          ...restart,
        }),
      );
    } else if (row.type !== w.type || row.disabled) {
      sets.push(
        step({
          id: `${service}-if-set-${w.interface}`,
          description: `Make ${w.interface} the ${label} ${w.type} interface${row.disabled ? ' and enable it' : ''}`,
          op: { verb: 'set', menu, find: { id: row.id }, attrs: { type: w.type, disabled: 'no' } },
          ...restart,
        }),
      );
    }
  }
  return [...removes, ...sets, ...adds];
}

const PRIVATE = [/^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^127\./, /^169\.254\./];
const isPublic = (cidr: string): boolean => !PRIVATE.some((re) => re.test(cidr));

/** Why an interface faces the internet (empty = it does not, as far as the router shows). */
export function internetEvidence(s: RouterSnapshot, name: string): string[] {
  const out: string[] = [];
  if (s.defaultRouteInterfaces.includes(name)) out.push('the default route goes out through it');
  if (s.dhcpClients.some((c) => c.interface === name)) out.push('it has a DHCP client (gets its address from the ISP)');
  if (s.pppoeClients.some((p) => p.name === name)) out.push('it is a PPPoE connection to the ISP');
  const pub = s.addresses.find((a) => a.interface === name && isPublic(a.address));
  if (pub) out.push(`it has the public address ${pub.address}`);
  return out;
}

export const looksGuest = (s: RouterSnapshot, name: string): boolean =>
  /guest|iot/i.test(name) ||
  s.dhcpServers.some((d) => d.interface === name && /guest|iot/i.test(d.name)) ||
  s.interfaces.some((i) => i.name === name && /guest|iot/i.test(i.comment));

export function roleWarnings(service: Service, roles: Role[], s: RouterSnapshot): string[] {
  const out: string[] = [];
  for (const r of roles.filter((x) => x.type === 'internal')) {
    const why = internetEvidence(s, r.interface);
    if (why.length)
      out.push(
        `${LABEL[service]}: ${r.interface} faces the internet (${why.join('; ')}) but is made internal — any host on the internet side could then open ports.`,
      );
    if (looksGuest(s, r.interface))
      out.push(
        `${LABEL[service]}: ${r.interface} looks like a guest/IoT network; as an internal interface its devices could open ports on your router.`,
      );
  }
  return out;
}

export { ValidationError };
