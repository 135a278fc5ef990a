import { compileQuery, applyProplist } from '../../electron/demo-router/api/query';
import type { DeviceContext } from '../../electron/demo-router/api-device';
import type { DemoDevice } from '../../electron/demo-router/device/device';
import { printEachVia, type RawRow, type RouterPort } from '../../electron/core/router-port';
import type { Capabilities } from '../../shared/domains/router';

/**
 * A RouterPort straight onto a demo router's device, without sockets: the same menus, validation,
 * trap texts and listen events the API server exposes, for fast unit tests of router-facing services.
 * Integration tests use the real RouterSession over TCP instead.
 */
export function deviceRouterPort(device: DemoDevice, capabilities?: Partial<Capabilities>): RouterPort {
  const ctx: DeviceContext = { user: 'admin', remoteAddress: '127.0.0.1' };
  const resource = device.print('/system/resource', {}, ctx)[0] ?? {};
  const identity = device.print('/system/identity', {}, ctx)[0] ?? {};
  // Found by trying, as the real capability probe does.
  const exists = (menu: string): boolean => {
    try {
      device.print(menu, {}, ctx);
      return true;
    } catch {
      return false;
    }
  };
  const can = (policy: string): boolean => device.permits(ctx.user, policy);
  const group = device.print('/user', {}, ctx).find((u) => u['name'] === ctx.user)?.['group'] ?? '';
  const caps: Capabilities = {
    policy: { user: ctx.user, group, read: can('read'), write: can('write'), reboot: can('reboot'), api: can('api') },
    encryption: 'none',
    identity: identity['name'] ?? 'MikroTik',
    version: resource['version'] ?? '7',
    board: resource['board-name'] ?? 'CHR',
    architecture: resource['architecture-name'] ?? 'x86_64',
    uptimeSeconds: 0,
    menus: {
      upnpPermissions: exists('/ip/upnp/permissions'),
      upnpMappings: exists('/ip/upnp/mappings'),
      natPmp: exists('/ip/nat-pmp'),
    },
    ...(capabilities as Capabilities | undefined),
  };
  const run = async <T>(fn: () => T): Promise<T> => fn();

  const print: RouterPort['print'] = (menu, options = {}) =>
    run(() => {
      const match = compileQuery(options.query ?? []);
      const proplist = options.proplist?.join(',');
      return device
        .print(menu, {}, ctx)
        .filter(match)
        .map((row) => applyProplist(row, proplist));
    });
  return {
    capabilities: caps,
    print,
    printEach: printEachVia(print),
    add: (menu, attrs) => run(() => device.command(menu, 'add', attrs, ctx).ret ?? ''),
    set: (menu, id, attrs) =>
      run(() => {
        device.command(menu, 'set', id === null ? attrs : { '.id': id, ...attrs }, ctx);
      }),
    remove: (menu, ids) =>
      run(() => {
        device.command(menu, 'remove', { '.id': ids.join(',') }, ctx);
      }),
    command: (menu, verb, attrs = {}) => run(() => device.command(menu, verb, attrs, ctx)),
    listen: (menu, onRow, options = {}) => {
      const proplist = options.proplist?.join(',');
      const off = device.listen(menu, (row: RawRow) => onRow(row['.dead'] ? row : applyProplist(row, proplist)));
      return { cancel: async () => off() };
    },
  };
}
