/**
 * The third removal strategy: DeletePortMapping sent from this PC (UPnP IGD WANIPConnection §2.4.17)
 * through PortPilot's own IGD client. It needs the router's root description URL; the embedded demo
 * router says where its IGD face is. Without a URL the strategy is reported as not applicable.
 */
import { IgdClient } from '../../igd-client';
import type { IgdDelete } from '../../mappings/strategies';

export function igdDeleteVia(rootDescriptionUrl: () => string | null): IgdDelete {
  const clients = new Map<string, Promise<IgdClient>>();
  return async (t) => {
    const url = rootDescriptionUrl();
    if (!url) throw new Error('no IGD description URL for this router (DeletePortMapping not tried)');
    let client = clients.get(url);
    if (!client) {
      client = IgdClient.fromLocation(url);
      clients.set(url, client);
      client.catch(() => clients.delete(url));
    }
    await (await client).deletePortMapping(t.externalPort, t.protocol === 'tcp' ? 'TCP' : 'UDP');
  };
}
