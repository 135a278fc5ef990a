import type { RouterRef, SessionState } from '../../shared/domains/router';
import type { DemoEndpoints, RouterLink } from '../../electron/core/router-link';
import type { RouterPort } from '../../electron/core/router-port';

/**
 * A RouterLink over any RouterPort (the device-backed port, a fake) that is always connected, for
 * unit tests of services that take `() => RouterLink | null`. Integration tests use the real one
 * (core/router-link.ts over a RouterSession).
 */
export function testLink(
  port: RouterPort,
  opts: { ref?: Partial<RouterRef>; endpoints?: DemoEndpoints | null; dataKey?: string } = {},
): RouterLink {
  const ref: RouterRef = {
    profileId: 'test',
    host: '192.168.88.1',
    port: 8728,
    transport: 'api',
    label: 'admin@192.168.88.1:8728',
    demo: null,
    ...opts.ref,
  };
  const state = (): SessionState => ({ kind: 'connected', router: ref, capabilities: port.capabilities });
  return Object.assign(Object.create(port) as RouterPort, {
    print: port.print.bind(port),
    add: port.add.bind(port),
    set: port.set.bind(port),
    remove: port.remove.bind(port),
    command: port.command.bind(port),
    listen: port.listen.bind(port),
    capabilities: port.capabilities,
    ref,
    host: ref.host,
    port: ref.port,
    profileId: ref.profileId,
    label: ref.label,
    isDemo: ref.demo !== null,
    endpoints: opts.endpoints ?? null,
    dataKey: opts.dataKey ?? `${port.capabilities.identity}@${ref.host}:${ref.port}`,
    state,
    onState: () => () => {},
    connect: async () => port.capabilities,
    close: async () => {},
  });
}
