// Runs PortPilot's IGD / NAT-PMP client inside a lab namespace (spawned by lab tests through
// `ip netns exec <lan> node --import tsx run-client.ts '<json>'`) and prints one JSON line: the
// result of every step, errors as data with their class, code and explanation. It never calls
// process.exit: the process must end by itself, which also proves every socket was closed.
import {
  IgdClient,
  NatPmpClient,
  defaultGateway,
  discoverGateways,
  localAddressToward,
  probeDoubleNat,
  type AddPortMappingRequest,
  type IgdProtocol,
  type NatPmpProtocol,
} from '../../electron/igd-client/index';

export type Step =
  | { op: 'discover'; windowMs?: number; multicast?: boolean; unicastTo?: string }
  | { op: 'open'; location?: string }
  | { op: 'localAddress' }
  | { op: 'externalIp' }
  | { op: 'status' }
  | { op: 'add'; mapping: AddPortMappingRequest }
  | { op: 'addAny'; mapping: AddPortMappingRequest }
  | { op: 'delete'; externalPort: number; protocol: IgdProtocol }
  | { op: 'specific'; externalPort: number; protocol: IgdProtocol }
  | { op: 'list' }
  | { op: 'natpmpGateway' }
  | { op: 'natpmpExternal'; gateway?: string }
  | {
      op: 'natpmpMap';
      gateway?: string;
      protocol: NatPmpProtocol;
      internalPort: number;
      suggestedExternalPort?: number;
      lifetime?: number;
    }
  | { op: 'natpmpUnmap'; gateway?: string; protocol: NatPmpProtocol; internalPort: number }
  | { op: 'doubleNatProbe'; internalClient: string; testPort: number; routerWanAddress?: string };

export interface StepError {
  name: string;
  code?: string | number;
  message: string;
  explanation?: string;
}
export type StepResult = { op: Step['op']; ok: true; value: unknown } | { op: Step['op']; ok: false; error: StepError };

interface Ctx {
  location?: string;
  client?: IgdClient;
}

function need(ctx: Ctx): IgdClient {
  if (!ctx.client) throw new Error('no gateway opened: run "open" first');
  return ctx.client;
}

async function natpmp(gateway: string | undefined): Promise<NatPmpClient> {
  return new NatPmpClient({ gateway: gateway ?? (await defaultGateway()) });
}

async function runStep(step: Step, ctx: Ctx): Promise<unknown> {
  switch (step.op) {
    case 'discover': {
      const gateways = await discoverGateways({
        windowMs: step.windowMs ?? 1500,
        multicast: step.multicast,
        // 'default-gateway': search the OS default route's gateway, as the self-test does.
        unicastTargets: step.unicastTo
          ? [{ address: step.unicastTo === 'default-gateway' ? await defaultGateway() : step.unicastTo }]
          : undefined,
      });
      ctx.location = gateways[0]?.location;
      return gateways;
    }
    case 'open': {
      const location = step.location ?? ctx.location;
      if (!location) throw new Error('no gateway location: discovery found nothing');
      ctx.client = await IgdClient.fromLocation(location);
      return ctx.client.description;
    }
    case 'localAddress':
      return localAddressToward(new URL(need(ctx).description.service.controlUrl).hostname);
    case 'externalIp':
      return need(ctx).getExternalIPAddress();
    case 'status':
      return need(ctx).getStatusInfo();
    case 'add':
      return need(ctx).addPortMapping(step.mapping);
    case 'addAny':
      return need(ctx).addAnyPortMapping(step.mapping);
    case 'delete':
      return need(ctx).deletePortMapping(step.externalPort, step.protocol);
    case 'specific':
      return need(ctx).getSpecificPortMappingEntry(step.externalPort, step.protocol);
    case 'list':
      return need(ctx).listPortMappings();
    case 'natpmpGateway':
      return defaultGateway();
    case 'natpmpExternal':
      return (await natpmp(step.gateway)).externalAddress();
    case 'natpmpMap':
      return (await natpmp(step.gateway)).map(step);
    case 'natpmpUnmap':
      return (await natpmp(step.gateway)).unmap(step);
    case 'doubleNatProbe': {
      // Observations hold Error objects; the JSON keeps only the assessment and the plain values.
      const { observations, ...assessment } = await probeDoubleNat({
        igd: need(ctx),
        natpmp: await natpmp(undefined),
        ...step,
      });
      return {
        ...assessment,
        igdExternalIp: observations.igdExternalIp,
        natpmpExternalAddress: observations.natpmpExternalAddress,
      };
    }
  }
}

function toStepError(e: unknown): StepError {
  const err = e as Error & { code?: string | number; explanation?: string };
  return { name: err.name, code: err.code, message: err.message, explanation: err.explanation };
}

async function main(): Promise<void> {
  const steps = JSON.parse(process.argv[2] ?? '[]') as Step[];
  const ctx: Ctx = {};
  const results: StepResult[] = [];
  for (const step of steps) {
    try {
      const value = await runStep(step, ctx);
      results.push({ op: step.op, ok: true, value: value ?? null });
    } catch (e) {
      results.push({ op: step.op, ok: false, error: toStepError(e) });
    }
  }
  process.stdout.write(JSON.stringify(results) + '\n');
}

await main();
