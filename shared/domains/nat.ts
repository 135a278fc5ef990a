import { z } from 'zod';
import { defineDomain, event, method } from '../contract/define';
import type { NatLevel, NatMeasurement, NatTypeTerms } from '../nat-type';
import { splitStunServer } from '../stun-server';

/*
 * The NAT type measured from this PC (issue 12): PortPilot asks a STUN server on the Internet
 * (RFC 5389) to run the RFC 5780 behaviour tests, and reports the result in RFC 4787 terms and in the
 * consoles' words (shared/nat-type.ts). The server is a third party that learns this PC's public
 * address, so nothing is sent to it until the user agreed to contact that server; choosing another
 * server asks again. The self-test's `inbound` step uses the same setting and the same consent.
 */

export interface NatConsent {
  /** The server the user agreed to contact ("host:port"). */
  server: string;
  at: string;
}

export interface NatSettings {
  /** The STUN server PortPilot asks ("host:port"). */
  server: string;
  /** The public RFC 5780 server used when the user chose none. */
  defaultServer: string;
  /** True when `server` is the default. */
  isDefault: boolean;
  /** Null until the user agreed (and again after choosing another server or withdrawing). */
  consent: NatConsent | null;
}

/** One measurement, with its verdict in the consoles' words (labelled by shared/nat-type.ts). */
export interface MeasuredNat {
  runId: string;
  measuredAt: string;
  measurement: NatMeasurement;
  /** One level, or two when an aspect could not be measured ([] when the mapping was not). */
  levels: NatLevel[];
  terms: NatTypeTerms;
}

export type NatPhase = 'resolve' | 'mapping' | 'filtering' | 'hairpinning';

export interface NatProgress {
  runId: string;
  phase: NatPhase;
  detail: string;
}

/** "host" or "host:port", IPv4 or a DNS name (RFC 5389 §9: port 3478 when none is given). */
export const stunServerSchema = z
  .string()
  .trim()
  .max(260, 'must be at most 260 characters')
  .refine((v) => splitStunServer(v) !== null, {
    message: 'must be HOST or HOST:PORT, e.g. stunserver.stunprotocol.org:3478 (IPv4 only)',
  });

const saveInput = z
  .object({
    /** null: back to the default server. Another server withdraws the consent (a new third party). */
    server: stunServerSchema.nullable(),
  })
  .strict();

const consentInput = z
  .object({
    /** The server the user saw named when agreeing; it must still be the setting. */
    server: stunServerSchema,
    /** false withdraws it. */
    agree: z.boolean(),
  })
  .strict();

export const natDomain = defineDomain({
  name: 'nat',
  methods: {
    settings: method<z.ZodUndefined, NatSettings>(z.undefined()),
    saveSettings: method<typeof saveInput, NatSettings>(saveInput),
    /** Records (or withdraws) the user's agreement to contact the server named. */
    consent: method<typeof consentInput, NatSettings>(consentInput),
    /** Measures against the server of the settings (a `progress` event per test, then `measured`).
     *  Refused with `no-consent` before the user agreed: nothing is sent. */
    measure: method<z.ZodUndefined, MeasuredNat>(z.undefined()),
    /** The last measurement since PortPilot started (null before the first). */
    last: method<z.ZodUndefined, MeasuredNat | null>(z.undefined()),
  },
  events: {
    progress: event<NatProgress>(),
    measured: event<MeasuredNat>(),
  },
  errorCodes: ['no-consent', 'server-changed', 'busy', 'no-answer', 'resolve-failed', 'stun-failed'],
});
export type NatErrorCode = (typeof natDomain.errorCodes)[number];
