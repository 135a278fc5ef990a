// Binding transactions over one local UDP socket (RFC 5389 §7.2.1): retransmissions with a doubling
// RTO, a last wait of Rm × RTO, and answers matched by transaction id. Several transactions may share
// the socket (the RFC 5780 tests must use one local port). Every datagram is untrusted: too large,
// malformed, an unknown transaction id, the wrong class or method, or a source the caller does not
// accept is ignored (and noted for the evidence), never thrown.
import {
  BINDING,
  MAX_MESSAGE_BYTES,
  TRANSACTION_ID_BYTES,
  decodeMessage,
  encodeMessage,
  mappedAddressOf,
  otherAddressOf,
  type StunMessage,
  type TransportAddress,
} from './codec';
import { StunDecodeError, StunError } from './errors';
import { sameEndpoint, showEndpoint, type StunPorts, type StunSocket, type UdpEndpoint } from './ports';

export interface Timings {
  /** Initial retransmission timeout. */
  rtoMs: number;
  /** Rc: requests sent in all. */
  requests: number;
  /** Rm: the wait after the last request, in initial RTOs. */
  lastWaitFactor: number;
}

/** RFC 5389 §7.2.1: RTO 500 ms, Rc 7, Rm 16, i.e. 39.5 s before giving up. */
export const RFC5389_TIMINGS: Timings = { rtoMs: 500, requests: 7, lastWaitFactor: 16 };
/** PortPilot's: the filtering tests of RFC 5780 §4.4 expect silence, and a user waits for each one,
 *  so 4 requests (0, 250, 750, 1750 ms) and a last wait of 8 × 250 ms: 3.75 s per unanswered test. */
export const DEFAULT_TIMINGS: Timings = { rtoMs: 250, requests: 4, lastWaitFactor: 8 };

/** Milliseconds before a transaction with these timings gives up. */
export function giveUpAfterMs(t: Timings): number {
  return t.rtoMs * (2 ** (t.requests - 1) - 1) + t.rtoMs * t.lastWaitFactor;
}

export interface ChangeRequest {
  changeIp: boolean;
  changePort: boolean;
}

export interface BindingAnswer {
  to: UdpEndpoint;
  change: ChangeRequest | null;
  /** Where the answer came from (checked against `acceptFrom`). */
  from: UdpEndpoint;
  /** Our address as the server saw it (XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS). */
  mapped: TransportAddress;
  /** OTHER-ADDRESS (or RFC 3489 CHANGED-ADDRESS): absent = the server does not do RFC 5780. */
  otherAddress?: TransportAddress;
  responseOrigin?: TransportAddress;
  software?: string;
  /** Requests sent before the answer came. */
  sent: number;
}

export interface BindingOptions {
  change?: ChangeRequest;
  /** RFC 5780 §7.5 RESPONSE-PORT: the server answers to this port at our public address. */
  responsePort?: number;
  /** Which sources may answer; default: exactly the address the request went to. */
  acceptFrom?: (from: UdpEndpoint) => boolean;
  timings?: Timings;
}

interface Pending {
  to: UdpEndpoint;
  options: BindingOptions;
  sent: number;
  settle(err: Error | null, answer?: BindingAnswer): void;
}

/** How many ignored datagrams the evidence keeps (a flood must not grow memory). */
const MAX_NOTES = 10;

export class StunChannel {
  private readonly pending = new Map<string, Pending>();
  private readonly requestListeners = new Set<(m: StunMessage, from: UdpEndpoint) => void>();
  private readonly notes: string[] = [];
  private ignoredCount = 0;
  private readonly unsubscribe: () => void;

  constructor(
    readonly socket: StunSocket,
    private readonly ports: Pick<StunPorts, 'timers' | 'randomBytes'>,
    private readonly timings: Timings = DEFAULT_TIMINGS,
  ) {
    this.unsubscribe = socket.onMessage((data, from) => this.receive(data, from));
  }

  /** What was ignored and why, for the evidence (at most MAX_NOTES lines plus a count). */
  get ignored(): string[] {
    const more = this.ignoredCount - this.notes.length;
    return more > 0 ? [...this.notes, `… and ${more} more ignored datagrams`] : [...this.notes];
  }

  /** STUN requests that arrive on this socket (the hairpinning test of RFC 5780 §4.5). */
  onRequest(listener: (m: StunMessage, from: UdpEndpoint) => void): () => void {
    this.requestListeners.add(listener);
    return () => this.requestListeners.delete(listener);
  }

  /** Sends a Binding request and resolves with the first acceptable answer; rejects with
   *  StunError 'timeout' after the last wait, or 'error-response' when the server refuses. */
  binding(to: UdpEndpoint, options: BindingOptions = {}): Promise<BindingAnswer> {
    const tid = this.ports.randomBytes(TRANSACTION_ID_BYTES);
    const key = tid.toString('hex');
    const change = options.change ?? null;
    const request = encodeMessage({
      cls: 'request',
      transactionId: tid,
      attributes: {
        ...(change && (change.changeIp || change.changePort) ? { changeRequest: change } : {}),
        ...(options.responsePort !== undefined ? { responsePort: options.responsePort } : {}),
      },
    });
    const t = options.timings ?? this.timings;
    return new Promise<BindingAnswer>((resolve, reject) => {
      let timer: unknown;
      const p: Pending = {
        to,
        options,
        sent: 0,
        settle: (err, answer) => {
          if (!this.pending.delete(key)) return;
          this.ports.timers.clearTimeout(timer);
          if (err) reject(err);
          else resolve(answer as BindingAnswer);
        },
      };
      this.pending.set(key, p);
      const next = (): void => {
        if (p.sent >= t.requests) {
          p.settle(
            new StunError(
              'timeout',
              `no answer from ${showEndpoint(to)} after ${t.requests} requests (${giveUpAfterMs(t)} ms)`,
            ),
          );
          return;
        }
        p.sent++;
        this.socket.send(request, to).catch((e: Error) => p.settle(e));
        const wait = p.sent === t.requests ? t.rtoMs * t.lastWaitFactor : t.rtoMs * 2 ** (p.sent - 1);
        timer = this.ports.timers.setTimeout(next, wait);
      };
      next();
    });
  }

  private note(line: string): void {
    this.ignoredCount++;
    if (this.notes.length < MAX_NOTES) this.notes.push(line);
  }

  private receive(data: Buffer, from: UdpEndpoint): void {
    const who = showEndpoint(from);
    if (data.length > MAX_MESSAGE_BYTES) return this.note(`${who}: ${data.length} bytes, too large for an answer`);
    let m: StunMessage;
    try {
      m = decodeMessage(data);
    } catch (e) {
      if (e instanceof StunDecodeError) return this.note(`${who}: not a usable STUN message (${e.code})`);
      throw e;
    }
    if (m.cls === 'request') {
      for (const l of this.requestListeners) l(m, from);
      return;
    }
    const p = this.pending.get(m.transactionId.toString('hex'));
    if (!p) return this.note(`${who}: an answer to a transaction PortPilot is not waiting for`);
    if (m.method !== BINDING || m.cls === 'indication')
      return this.note(`${who}: a ${m.cls} of method ${m.method}, not a Binding answer`);
    const accept = p.options.acceptFrom ?? ((f: UdpEndpoint) => sameEndpoint(f, p.to));
    if (!accept(from)) return this.note(`${who}: answered a request sent to ${showEndpoint(p.to)}: not accepted`);
    if (m.cls === 'error') {
      const e = m.attributes.errorCode;
      const what = e ? `${e.code} ${e.reason}` : 'an error without ERROR-CODE';
      return p.settle(new StunError('error-response', `${who} answered ${what}`, e?.code));
    }
    const mapped = mappedAddressOf(m);
    if (!mapped) return this.note(`${who}: a Binding success without XOR-MAPPED-ADDRESS`);
    p.settle(null, {
      to: p.to,
      change: p.options.change ?? null,
      from,
      mapped,
      otherAddress: otherAddressOf(m),
      responseOrigin: m.attributes.responseOrigin,
      software: m.attributes.software,
      sent: p.sent,
    });
  }

  /** Stops listening; waiting transactions reject with 'closed'. Does not close the socket. */
  detach(): void {
    this.unsubscribe();
    for (const p of [...this.pending.values()])
      p.settle(new StunError('closed', `stopped waiting for ${showEndpoint(p.to)}`));
    this.requestListeners.clear();
  }
}
