/**
 * The verbs of the API besides print: add, set, remove, enable, disable, move, get, unset,
 * reset-counters, /system/reboot, and the seed guide's /ip/upnp/mappings/remove. Side effects that
 * RouterOS ties to a menu (service restarts, interface mirrors) live in `afterChange`.
 */
import { ApiTrap, UnknownCommandError, type DeviceContext, type Row } from '../api-device';
import type { DeviceState } from './device-state';
import { afterChange, afterRemove } from './hooks';
import { applyRenames, pendingRenames } from './renames';
import { SEED_MAPPINGS_MENU } from './registry';

type Result = { ret?: string };

/** Tables whose dynamic rows may be removed by hand (RouterOS lets you flush ARP, leases, connections). */
const REMOVABLE_DYNAMIC = new Set(['/ip/arp', '/ip/dhcp-server/lease', '/ip/firewall/connection']);

export function runCommand(dev: DeviceState, path: string, verb: string, attrs: Row, _ctx: DeviceContext): Result {
  if (path === '/system' && verb === 'reboot') {
    // Let the API server send `!done` first, then every session closes, as on a real reboot.
    queueMicrotask(() => dev.reboot());
    return {};
  }
  if (path === SEED_MAPPINGS_MENU && dev.profile === 'seed') return seedMappings(dev, verb, attrs);
  if (!dev.has(path)) throw dev.unknownCommand(path, verb);
  const renames = pendingRenames(dev, path, verb, attrs, dev.table(path).spec.singleton ? undefined : idOf(attrs));
  const result = tableVerb(dev, path, verb, attrs);
  applyRenames(dev, renames);
  if (verb !== 'get') afterChange(dev, path, verb);
  return result;
}

const idOf = (attrs: Row): string | undefined => attrs['.id'] ?? attrs.numbers ?? attrs.number;

function tableVerb(dev: DeviceState, path: string, verb: string, attrs: Row): Result {
  const table = dev.table(path);
  const { singleton, readOnly } = table.spec;
  switch (verb) {
    case 'add': {
      if (singleton || readOnly) throw new UnknownCommandError(verb);
      return { ret: table.add(attrs, { placeBefore: attrs['place-before'] }) };
    }
    case 'set': {
      const { '.id': _id, numbers: _n, ...values } = attrs;
      table.set(singleton ? undefined : idOf(attrs), values);
      return {};
    }
    case 'remove': {
      if (singleton || (readOnly && path !== '/ip/firewall/connection')) throw new UnknownCommandError(verb);
      const ids = idOf(attrs) ?? '';
      // --dynamic-remove (unknowns.ts): refused by default on routeros7, as users report; unconfirmed text.
      const allowDynamic =
        REMOVABLE_DYNAMIC.has(path) || (path.startsWith('/ip/firewall/') && dev.unknowns.dynamicRemove === 'allow');
      afterRemove(dev, path, table.remove(ids, allowDynamic));
      return {};
    }
    case 'enable':
    case 'disable':
      if (singleton) throw new UnknownCommandError(verb);
      table.setDisabled(idOf(attrs) ?? '', verb === 'disable');
      return {};
    case 'move':
      table.move(idOf(attrs) ?? '', attrs.destination);
      return {};
    case 'get':
      return { ret: table.get(singleton ? undefined : idOf(attrs), attrs['value-name'] ?? '') };
    case 'unset':
      table.unset(singleton ? undefined : idOf(attrs), attrs['value-name'] ?? '');
      return {};
    case 'make-static':
      return makeStatic(dev, path, idOf(attrs) ?? '');
    case 'reset-counters':
    case 'reset-counters-all':
      return resetCounters(dev, path, verb === 'reset-counters' ? idOf(attrs) : undefined);
    default:
      throw new UnknownCommandError(verb);
  }
}

function resetCounters(dev: DeviceState, path: string, ids: string | undefined): Result {
  if (path !== '/ip/firewall/nat' && path !== '/ip/firewall/filter') throw new UnknownCommandError('reset-counters');
  const table = dev.table(path);
  const rows = ids === undefined ? table.all() : table.targets(ids);
  for (const row of rows) table.update(row, { bytes: '0', packets: '0' });
  return {};
}

/** `/ip dhcp-server lease make-static`: the dynamic lease becomes a static one (keeps the address). */
function makeStatic(dev: DeviceState, path: string, ids: string): Result {
  if (path !== '/ip/dhcp-server/lease') throw new UnknownCommandError('make-static');
  const table = dev.table(path);
  for (const row of table.targets(ids)) table.update(row, { dynamic: 'false' });
  return {};
}

/** Seed guide: `/ip upnp mappings remove [find]` removes mappings and their dynamic rules. */
function seedMappings(dev: DeviceState, verb: string, attrs: Row): Result {
  if (verb !== 'remove') throw new UnknownCommandError(verb);
  const ids = (idOf(attrs) ?? '').split(',');
  const found = ids.map((id) => {
    const m = dev.backend.store.byRuleId(id);
    if (!m || m.source !== 'upnp') throw new ApiTrap('no such item', 0);
    return m;
  });
  for (const m of found) dev.backend.drop(m);
  return {};
}
