/**
 * The last removal strategy, only on the user's explicit confirmation: disable and re-enable the
 * service. [MM]: any change under /ip upnp restarts it and removes ALL its dynamic mappings, live
 * ones too; live apps re-map on their own (IGD clients renew, RFC 6886 §3.3 for NAT-PMP).
 */
import type { RouterPort } from '../../core/router-port';
import type { MappingMonitor } from '../../mappings/monitor';

export async function restartService(router: RouterPort, monitor: MappingMonitor, service: 'upnp' | 'nat-pmp') {
  const menu = service === 'upnp' ? '/ip/upnp' : '/ip/nat-pmp';
  const [settings] = await router.print(menu);
  const dropped = monitor
    .list()
    .filter((v) => (service === 'upnp' ? v.source !== 'nat-pmp' : v.source === 'nat-pmp')).length;
  const wasEnabled = settings?.['enabled'] === 'true' || settings?.['enabled'] === 'yes';
  await router.set(menu, null, { enabled: 'no' });
  if (wasEnabled) await router.set(menu, null, { enabled: 'yes' });
  return { dropped };
}
