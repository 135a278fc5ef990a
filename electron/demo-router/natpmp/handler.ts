/**
 * NAT-PMP request handling (RFC 6886 §3) over the MappingBackend: decoded request + client
 * address in, response bytes out. Pure apart from the injected backend.
 */
import type { MappingBackend, MappingRefusal } from '../mapping-backend';
import {
  ResultCode,
  decodeRequest,
  encodeErrorResponse,
  encodeExternalAddressResponse,
  encodeMapResponse,
  type MapRequest,
} from '../../natpmp/codec';

/** Refusal → §3.5 result code. "Not Authorized/Refused" covers a feature the user turned off. */
const REFUSAL_RESULTS: Record<MappingRefusal, ResultCode> = {
  disabled: ResultCode.NotAuthorized,
  'not-internal': ResultCode.NotAuthorized,
  'no-external': ResultCode.NetworkFailure,
  'external-down': ResultCode.NetworkFailure,
  denied: ResultCode.NotAuthorized,
  conflict: ResultCode.OutOfResources,
  'only-permanent': ResultCode.NotAuthorized,
  'bad-port': ResultCode.NotAuthorized,
  'not-found': ResultCode.NotAuthorized,
  'out-of-resources': ResultCode.OutOfResources,
};

export interface HandleResult {
  response: Buffer | undefined;
  /** One line for the log. */
  summary: string;
}

function externalAddress(backend: MappingBackend): HandleResult {
  const s = backend.natPmpStatus();
  const reply = (resultCode: ResultCode, externalAddress: string | null) =>
    encodeExternalAddressResponse({ resultCode, epoch: s.uptimeSeconds, externalAddress });
  if (!s.enabled) return { response: reply(ResultCode.NotAuthorized, null), summary: 'address: disabled (2)' };
  // §3.2: no usable external address (WAN down, no DHCP lease) is result 3 Network Failure.
  if (!s.externalUp || s.externalAddress === null) {
    return { response: reply(ResultCode.NetworkFailure, null), summary: 'address: no external (3)' };
  }
  return { response: reply(ResultCode.Success, s.externalAddress), summary: `address: ${s.externalAddress}` };
}

/** §3.5: a failed map answers with the requested internal port, so the client knows which request failed. */
function mapReply(req: MapRequest, resultCode: ResultCode, epoch: number, externalPort = 0, lifetimeSeconds = 0) {
  return encodeMapResponse({
    protocol: req.protocol,
    resultCode,
    epoch,
    internalPort: req.internalPort,
    externalPort,
    lifetimeSeconds,
  });
}

/** §3.4: lifetime 0 deletes; internal port 0 with lifetime 0 deletes all of the client's mappings. */
function deleteMappings(backend: MappingBackend, req: MapRequest, client: string): HandleResult {
  const epoch = backend.natPmpStatus().uptimeSeconds;
  const mine = backend
    .list('nat-pmp')
    .filter((e) => e.protocol === req.protocol && e.internalAddress === client)
    .filter((e) => req.internalPort === 0 || e.internalPort === req.internalPort);
  if (!backend.natPmpStatus().enabled) {
    return {
      response: mapReply(req, ResultCode.NotAuthorized, epoch),
      summary: 'delete: disabled (2)',
    };
  }
  for (const e of mine) {
    const result = backend.remove('nat-pmp', e.protocol, e.externalPort, client);
    if (!result.ok && result.refusal !== 'not-found') {
      const code = REFUSAL_RESULTS[result.refusal];
      return {
        response: mapReply(req, code, epoch),
        summary: `delete: ${result.detail} (${code})`,
      };
    }
  }
  // Deleting a mapping that does not exist is not an error (§3.4): success, external port 0.
  return {
    response: mapReply(req, ResultCode.Success, epoch),
    summary: `delete ${req.protocol} ${req.internalPort || 'all'} of ${client}: ${mine.length} removed`,
  };
}

function createMapping(backend: MappingBackend, req: MapRequest, client: string): HandleResult {
  // §3.3: a second request for the same internal port returns (and renews) the existing mapping.
  const existing = backend
    .list('nat-pmp')
    .find((e) => e.protocol === req.protocol && e.internalAddress === client && e.internalPort === req.internalPort);
  const result = backend.add({
    source: 'nat-pmp',
    protocol: req.protocol,
    externalPort: existing?.externalPort ?? req.suggestedExternalPort,
    internalAddress: client,
    internalPort: req.internalPort,
    description: `NAT-PMP ${req.internalPort} ${req.protocol}`,
    leaseSeconds: req.lifetimeSeconds,
    remoteHost: '',
    enabled: true,
    clientAddress: client,
    // §3.3: the suggested port is a hint; the gateway may assign another.
    allowAlternativePort: true,
  });
  const epoch = backend.natPmpStatus().uptimeSeconds;
  if (!result.ok) {
    const code = REFUSAL_RESULTS[result.refusal];
    return {
      response: mapReply(req, code, epoch),
      summary: `map refused: ${result.detail} (${code})`,
    };
  }
  const e = result.entry;
  const lifetime = e.leaseSeconds > 0 ? e.leaseSeconds : req.lifetimeSeconds;
  return {
    response: encodeMapResponse({
      protocol: req.protocol,
      resultCode: ResultCode.Success,
      epoch,
      internalPort: e.internalPort,
      externalPort: e.externalPort,
      lifetimeSeconds: lifetime,
    }),
    summary: `map ${req.protocol} ${client}:${e.internalPort} -> ${e.externalPort} for ${lifetime}s`,
  };
}

export function handlePacket(backend: MappingBackend, packet: Uint8Array, clientAddress: string): HandleResult {
  const request = decodeRequest(packet);
  const epoch = () => backend.natPmpStatus().uptimeSeconds;
  switch (request.kind) {
    case 'ignore':
      return { response: undefined, summary: `ignored (${request.reason})` };
    case 'unsupported-version':
      return {
        response: encodeErrorResponse(request.opcode, ResultCode.UnsupportedVersion, epoch()),
        summary: 'unsupported version (1)',
      };
    case 'unsupported-opcode':
      return {
        response: encodeErrorResponse(request.opcode, ResultCode.UnsupportedOpcode, epoch()),
        summary: `unsupported opcode ${request.opcode} (5)`,
      };
    case 'external-address':
      return externalAddress(backend);
    case 'map':
      return request.lifetimeSeconds === 0
        ? deleteMappings(backend, request, clientAddress)
        : createMapping(backend, request, clientAddress);
  }
}
