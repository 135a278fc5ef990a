import { z } from 'zod';
import { defineDomain, event, method } from '../contract/define';

/*
 * "Test from this PC" (issue 6): PortPilot acts as an IGD / NAT-PMP client on this computer and proves
 * end to end that automatic port mapping works — discover, describe, external IP, add a test mapping,
 * verify it on the router through the API, list, delete, verify it is gone, then the same over NAT-PMP.
 * Every step streams live with its evidence; the test mapping is always cleaned up.
 */

export const selfTestStepIds = [
  'discover',
  'description',
  'external-ip',
  'igd-add',
  'igd-verify-router',
  'igd-list',
  'igd-delete',
  'igd-verify-gone',
  'natpmp-map',
  'natpmp-verify-router',
  'natpmp-unmap',
  'natpmp-verify-gone',
  'cleanup',
] as const;

/**
 * Steps that run only when asked: `inbound` (issue 12) maps a UDP port and has a STUN server answer
 * from its *other* address (RFC 5780 CHANGE-REQUEST), proving that unsolicited traffic from the
 * Internet reaches this PC. It needs a STUN server, so it is in the list only when one is configured.
 */
export const selfTestOptionalStepIds = ['inbound'] as const;
export type SelfTestOptionalStepId = (typeof selfTestOptionalStepIds)[number];
export type SelfTestStepId = (typeof selfTestStepIds)[number] | SelfTestOptionalStepId;

/** The steps of one run in the order they run: the optional ones asked for go before `cleanup`. */
export function selfTestStepsFor(optional: { inbound?: boolean } = {}): SelfTestStepId[] {
  const base: SelfTestStepId[] = selfTestStepIds.filter((id) => id !== 'cleanup');
  return [...base, ...(optional.inbound ? (['inbound'] as const) : []), 'cleanup'];
}

export type SelfTestStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface SelfTestStep {
  id: SelfTestStepId;
  title: string;
  status: SelfTestStatus | 'running' | 'pending';
  /** One line for people: what was found. */
  detail: string;
  /** What was seen on the wire or on the router, one fact per line. */
  evidence: string[];
  /** What to do next when the step did not pass. */
  next?: string;
  ms?: number;
}

export type FindingSeverity = 'error' | 'warn' | 'info';

/** A conclusion drawn from one or more steps. `double-nat` is the CLI contract's id for double NAT / CGNAT. */
export interface SelfTestFinding {
  id:
    | 'double-nat'
    | 'no-gateway'
    | 'several-gateways'
    | 'not-routeros'
    | 'port-denied'
    | 'only-permanent'
    | 'port-conflict'
    | 'not-on-router'
    | 'no-router'
    | 'natpmp-off'
    | 'cleanup-failed'
    /** The mapping exists and the router is the outermost NAT, yet nothing came in (this PC's firewall). */
    | 'inbound-blocked'
    /** A VPN carries this PC's Internet traffic (issue 15). */
    | 'vpn'
    /** This PC's default gateway is not the connected router, or the router is not on its network. */
    | 'gateway-elsewhere'
    /** The OS reaches the gateway from another adapter than the one that found it. */
    | 'adapter-mismatch'
    /** The mapping exists but nothing arrived: this PC's own firewall (firewall-advice.ts). */
    | 'pc-firewall';
  severity: FindingSeverity;
  title: string;
  detail: string;
  evidence: string[];
}

export interface SelfTestReport {
  runId: string;
  ok: boolean;
  /** Stopped by the user before every step ran (the test mapping was still cleaned up). */
  cancelled?: boolean;
  running: boolean;
  startedAt: string;
  finishedAt: string | null;
  steps: SelfTestStep[];
  findings: SelfTestFinding[];
  /** Plain-text report for "Copy report" (filled in when the run ends). */
  text: string;
}

/** One of this PC's network adapters, for choosing the one to test from (issue 15). */
export interface AdapterView {
  /** The OS's name for it ("Ethernet", "WLAN", "vEthernet (WSL)", en0, wlp2s0). */
  name: string;
  /** Its IPv4 address with prefix length, e.g. 192.168.1.20/24. */
  address: string;
  kind: 'physical' | 'virtual' | 'tunnel';
  /** What it is when not physical ("Hyper-V / WSL virtual switch"). */
  why: string | null;
  /** Searched from when no adapter is chosen. */
  searchedByDefault: boolean;
}

const ipv4Schema = z
  .string()
  .trim()
  .regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, 'must be an IPv4 address like 192.168.88.1');

export const selfTestOptionsSchema = z
  .object({
    /** Root description URL given by hand (skips SSDP). */
    gatewayUrl: z
      .url({ protocol: /^https?$/, message: 'must be an http:// URL such as http://192.168.88.1:2828/gateway.xml' })
      .max(2000)
      .optional(),
    /** NAT-PMP gateway address; default: the IGD's host, then the OS default route. */
    natPmpGateway: ipv4Schema.optional(),
    /** The network adapter to test from, by name (default: every physical adapter with a private address). */
    adapter: z.string().trim().min(1, 'must name an adapter').max(256, 'must be at most 256 characters').optional(),
    /** The external port to test (e.g. a game's port); default: a free high port. */
    testPort: z
      .number({ message: 'must be a port number from 1 to 65535' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(65535, 'must be at most 65535')
      .optional(),
  })
  .strict();
export type SelfTestOptionsInput = z.infer<typeof selfTestOptionsSchema>;

export const selftestDomain = defineDomain({
  name: 'selftest',
  methods: {
    /** Starts a run and returns at once; steps arrive as `step` events, the end as `finished`. */
    start: method<z.ZodOptional<typeof selfTestOptionsSchema>, { runId: string }>(selfTestOptionsSchema.optional()),
    /** Stops the running test after its current step; it still cleans up. False when none runs. */
    cancel: method<z.ZodUndefined, boolean>(z.undefined()),
    /** The running or last finished run (null before the first). */
    last: method<z.ZodUndefined, SelfTestReport | null>(z.undefined()),
    /** This PC's adapters with an IPv4 address, classified; which ones a test searches from by default. */
    adapters: method<z.ZodUndefined, AdapterView[]>(z.undefined()),
  },
  events: {
    step: event<{ runId: string; step: SelfTestStep }>(),
    finished: event<SelfTestReport>(),
  },
  errorCodes: ['busy'],
});
export type SelfTestErrorCode = (typeof selftestDomain.errorCodes)[number];
