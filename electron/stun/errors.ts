// Typed errors of the STUN client. Code branches on `.code`; `.message` is for people: what failed,
// why, and what to do (STYLE.md pattern 6).

/** Why a datagram is not a STUN message PortPilot accepts (RFC 5389 §6, §15). Every byte comes from
 *  the network: the decoder throws only this, never a RangeError or a TypeError. */
export type StunDecodeErrorCode =
  | 'too-short'
  | 'too-long'
  | 'not-stun'
  | 'bad-length'
  | 'bad-attribute'
  | 'too-many-attributes'
  | 'bad-address'
  | 'bad-fingerprint'
  | 'unknown-required-attribute';

export class StunDecodeError extends Error {
  override readonly name = 'StunDecodeError';
  constructor(
    readonly code: StunDecodeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type StunErrorCode =
  /** No answer after every retransmission (RFC 5389 §7.2.1). */
  | 'timeout'
  /** The server answered with an error response (ERROR-CODE, RFC 5389 §15.6). */
  | 'error-response'
  /** The server's name did not resolve to an IPv4 address. */
  | 'resolve-failed'
  /** A host:port given by the user or a setting is not usable. */
  | 'bad-argument'
  /** The local UDP socket failed (bind, send). */
  | 'socket'
  /** The channel was closed while a request was waiting. */
  | 'closed';

export class StunError extends Error {
  override readonly name = 'StunError';
  constructor(
    readonly code: StunErrorCode,
    message: string,
    /** The ERROR-CODE number of an error response (e.g. 420 Unknown Attribute). */
    readonly errorCode?: number,
  ) {
    super(message);
  }
}
