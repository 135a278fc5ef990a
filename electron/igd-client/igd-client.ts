// Client for one Internet Gateway Device's WAN connection service (UPnP IGD:1 / IGD:2,
// WANIPConnection:1/:2 and WANPPPConnection:1 share these actions except AddAnyPortMapping).
import { IgdError, IgdSoapFault } from './errors';
import { fetchDescription, type FetchDescriptionOptions, type GatewayDescription } from './description';
import { soapCall, type SoapArgs, type SoapTransport } from './soap';

export type IgdProtocol = 'TCP' | 'UDP';

export interface PortMapping {
  remoteHost: string;
  externalPort: number;
  protocol: IgdProtocol;
  internalPort: number;
  internalClient: string;
  enabled: boolean;
  description: string;
  /** Seconds; 0 = permanent (the only kind RouterOS accepts). */
  leaseDuration: number;
}

export interface AddPortMappingRequest {
  remoteHost?: string;
  externalPort: number;
  protocol: IgdProtocol;
  internalPort: number;
  internalClient: string;
  enabled?: boolean;
  description?: string;
  leaseDuration?: number;
}

export interface StatusInfo {
  connectionStatus: string;
  lastConnectionError: string;
  uptimeSeconds: number;
}

export interface IgdClientOptions {
  fetch?: typeof fetch;
  /** Carries the SOAP calls instead of `fetch` (keepAliveFetch's `post` for a bulk restore). */
  transport?: SoapTransport;
  timeoutMs?: number;
}

/** Listing stops here even if a broken gateway never answers 713 (RouterOS/miniupnpd hold far fewer). */
export const LIST_CAP = 1024;

function toInt(value: string | undefined, field: string): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isInteger(n))
    throw new IgdError('bad-response', `the router sent a non-integer ${field}: "${value ?? ''}"`);
  return n;
}

function toProtocol(value: string | undefined): IgdProtocol {
  const p = (value ?? '').toUpperCase();
  if (p !== 'TCP' && p !== 'UDP')
    throw new IgdError('bad-response', `the router sent an unknown protocol "${value ?? ''}"`);
  return p;
}

export class IgdClient {
  constructor(
    readonly description: GatewayDescription,
    private readonly opts: IgdClientOptions = {},
  ) {}

  /** Fetches the root description at `location` and builds a client for its WAN service. */
  static async fromLocation(
    location: string,
    opts: IgdClientOptions & FetchDescriptionOptions = {},
  ): Promise<IgdClient> {
    return new IgdClient(await fetchDescription(location, opts), opts);
  }

  get serviceVersion(): number {
    return this.description.service.version;
  }

  private call(action: string, args: SoapArgs = [], outputs = true): Promise<Record<string, string>> {
    const { service } = this.description;
    return soapCall({
      controlUrl: service.controlUrl,
      serviceType: service.serviceType,
      action,
      args,
      fetch: this.opts.fetch,
      transport: this.opts.transport,
      timeoutMs: this.opts.timeoutMs,
      outputs,
    });
  }

  /** '' when the gateway has no usable external address (miniupnpd with a private/CGNAT WAN). */
  async getExternalIPAddress(): Promise<string> {
    return (await this.call('GetExternalIPAddress'))['NewExternalIPAddress'] ?? '';
  }

  async getStatusInfo(): Promise<StatusInfo> {
    const r = await this.call('GetStatusInfo');
    return {
      connectionStatus: r['NewConnectionStatus'] ?? '',
      lastConnectionError: r['NewLastConnectionError'] ?? '',
      uptimeSeconds: Number(r['NewUptime'] ?? 0) || 0,
    };
  }

  private mappingArgs(m: AddPortMappingRequest): SoapArgs {
    return [
      ['NewRemoteHost', m.remoteHost ?? ''],
      ['NewExternalPort', m.externalPort],
      ['NewProtocol', m.protocol],
      ['NewInternalPort', m.internalPort],
      ['NewInternalClient', m.internalClient],
      ['NewEnabled', m.enabled === false ? 0 : 1],
      ['NewPortMappingDescription', m.description ?? 'PortPilot'],
      ['NewLeaseDuration', m.leaseDuration ?? 0],
    ];
  }

  async addPortMapping(m: AddPortMappingRequest): Promise<void> {
    await this.call('AddPortMapping', this.mappingArgs(m), false);
  }

  /** IGD:2 only (WANIPConnection:2 §2.5.16): the gateway picks a free port near the requested one
   *  and returns it. */
  async addAnyPortMapping(m: AddPortMappingRequest): Promise<number> {
    if (this.serviceVersion < 2 || this.description.service.kind !== 'WANIPConnection') {
      throw new IgdError(
        'unsupported',
        `AddAnyPortMapping needs WANIPConnection:2, but this gateway offers ${this.description.service.serviceType}: use addPortMapping with a free port instead`,
      );
    }
    const r = await this.call('AddAnyPortMapping', this.mappingArgs(m));
    return toInt(r['NewReservedPort'], 'NewReservedPort');
  }

  async deletePortMapping(externalPort: number, protocol: IgdProtocol, remoteHost = ''): Promise<void> {
    await this.call(
      'DeletePortMapping',
      [
        ['NewRemoteHost', remoteHost],
        ['NewExternalPort', externalPort],
        ['NewProtocol', protocol],
      ],
      false,
    );
  }

  /** null when the gateway answers 714 NoSuchEntryInArray. */
  async getSpecificPortMappingEntry(
    externalPort: number,
    protocol: IgdProtocol,
    remoteHost = '',
  ): Promise<PortMapping | null> {
    let r: Record<string, string>;
    try {
      r = await this.call('GetSpecificPortMappingEntry', [
        ['NewRemoteHost', remoteHost],
        ['NewExternalPort', externalPort],
        ['NewProtocol', protocol],
      ]);
    } catch (e) {
      if (e instanceof IgdSoapFault && e.code === 714) return null;
      throw e;
    }
    return this.toMapping({
      ...r,
      NewRemoteHost: remoteHost,
      NewExternalPort: String(externalPort),
      NewProtocol: protocol,
    });
  }

  /** null past the end of the table (713 SpecifiedArrayIndexInvalid). */
  async getGenericPortMappingEntry(index: number): Promise<PortMapping | null> {
    try {
      return this.toMapping(await this.call('GetGenericPortMappingEntry', [['NewPortMappingIndex', index]]));
    } catch (e) {
      if (e instanceof IgdSoapFault && e.code === 713) return null;
      throw e;
    }
  }

  /** Every mapping, by index from 0 until 713 (IGD:1 has no bulk listing; GetListOfPortMappings of
   *  IGD:2 is optional and absent on RouterOS). */
  async listPortMappings(cap = LIST_CAP): Promise<PortMapping[]> {
    const out: PortMapping[] = [];
    for (let i = 0; i < cap; i++) {
      const m = await this.getGenericPortMappingEntry(i);
      if (!m) break;
      out.push(m);
    }
    return out;
  }

  private toMapping(r: Record<string, string>): PortMapping {
    return {
      remoteHost: r['NewRemoteHost'] ?? '',
      externalPort: toInt(r['NewExternalPort'], 'NewExternalPort'),
      protocol: toProtocol(r['NewProtocol']),
      internalPort: toInt(r['NewInternalPort'], 'NewInternalPort'),
      internalClient: r['NewInternalClient'] ?? '',
      enabled: r['NewEnabled'] === '1' || r['NewEnabled']?.toLowerCase() === 'true',
      description: r['NewPortMappingDescription'] ?? '',
      leaseDuration: Number(r['NewLeaseDuration'] ?? 0) || 0,
    };
  }
}
