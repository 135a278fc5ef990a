import { UPNP_ERRORS, faultForRefusal } from '../../electron/demo-router/igd/errors';
import type { DemoDevice } from '../../electron/demo-router/device/device';
import { IgdSoapFault } from '../../electron/igd-client';
import type { IgdActions } from '../../electron/mappings/igd-port';

/**
 * The cleanup's IGD requests straight onto a demo device, as this computer (a real peer at
 * `clientAddress`) would send them: the same backend checks and the same SOAP fault codes and
 * messages the real IGD face and client produce, without sockets. Integration tests use the real
 * IGD client over HTTP instead.
 */
export function deviceIgd(
  dev: DemoDevice,
  clientAddress = '127.0.0.1',
): IgdActions & { calls: string[]; offline: boolean } {
  const fault = (refusal: Parameters<typeof faultForRefusal>[0], detail: string, action: string) => {
    const code = faultForRefusal(refusal, detail).code;
    return new IgdSoapFault(code, UPNP_ERRORS[code], action);
  };
  const igd = {
    calls: [] as string[],
    offline: false,
    available: () => !igd.offline,
    localAddress: async () => clientAddress,
    async deleteMapping(protocol: 'tcp' | 'udp', externalPort: number) {
      igd.calls.push(`delete ${protocol}/${externalPort}`);
      const r = dev.backend.remove('upnp', protocol, externalPort, clientAddress);
      if (!r.ok) throw fault(r.refusal, r.detail, 'DeletePortMapping');
    },
    async addMapping(m: Parameters<IgdActions['addMapping']>[0]) {
      igd.calls.push(`add ${m.protocol}/${m.externalPort}`);
      const r = dev.backend.add({
        source: 'upnp',
        protocol: m.protocol,
        externalPort: m.externalPort,
        internalAddress: m.internalAddress,
        internalPort: m.internalPort,
        description: m.description,
        leaseSeconds: m.leaseSeconds,
        remoteHost: '',
        enabled: m.enabled,
        clientAddress,
        allowAlternativePort: false,
      });
      if (!r.ok) throw fault(r.refusal, r.detail, 'AddPortMapping');
    },
  };
  return igd;
}
