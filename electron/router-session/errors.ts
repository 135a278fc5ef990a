/**
 * Typed errors of the router link. Code branches on `kind` / `category` / `field`; the message is for
 * people: what failed, why, what to check. No message ever contains the password (the session never
 * passes it to a message builder; see secrets.test in session-secrets.test.ts).
 */

/**
 * A `!trap` from RouterOS. Categories (MikroTik "API" manual, "Replies"): 0 missing item or command,
 * 1 argument value failure, 2 execution interrupted, 3 scripting failure, 4 general failure,
 * 5 API failure, 6 TTY failure, 7 value generated with :return. Undefined when the router sent none.
 */
export class RouterTrapError extends Error {
  readonly code = 'router-trap';
  constructor(
    readonly category: number | undefined,
    readonly trapMessage: string,
    readonly command?: string,
  ) {
    super(command ? `RouterOS refused ${command}: ${trapMessage}` : `RouterOS refused the command: ${trapMessage}`);
    this.name = 'RouterTrapError';
  }

  /**
   * "no such command or directory (x)" / "no such command prefix": the menu does not exist on this
   * router (routeros-facts.md). Category 0 alone is not enough: "no such item" is category 0 too.
   */
  get isNoSuchCommand(): boolean {
    return /no such command/i.test(this.trapMessage);
  }
}

export type ConnectionErrorKind =
  | 'refused'
  | 'timeout'
  | 'dns'
  | 'unreachable'
  | 'login'
  | 'tls-untrusted'
  | 'tls-fingerprint-changed'
  | 'tls-handshake'
  | 'closed'
  | 'down'
  | 'protocol';

export interface ConnectionErrorDetail {
  host?: string;
  port?: number;
  /** SHA-256 fingerprint the router presented now (`AB:CD:...`), for tls-* kinds. */
  fingerprint?: string;
  /** The router offers anonymous Diffie-Hellman (no certificate at all). */
  anonymous?: boolean;
  /** The fingerprint stored with the profile, for tls-fingerprint-changed. */
  pinnedFingerprint?: string;
  /** Low-level cause as text (Node error code or library message); never contains the password. */
  cause?: string;
}

/** `192.168.88.1:8728`; only when the host is unknown, "the router". */
function where(d: ConnectionErrorDetail): string {
  return d.host !== undefined ? `${d.host}:${d.port ?? ''}` : 'the router';
}

/** "The router at 192.168.88.1:8728" or, without a host, "The router" (never "The router at the router"). */
function theRouter(d: ConnectionErrorDetail): string {
  return d.host !== undefined ? `The router at ${where(d)}` : 'The router';
}

function because(d: ConnectionErrorDetail): string {
  return d.cause ? ` (${d.cause})` : '';
}

/** The wire limits already say "192.168.88.1 sent a 520 MiB word …: not a RouterOS reply": lead with that. */
function protocolLead(d: ConnectionErrorDetail): string {
  if (d.host !== undefined && d.cause?.startsWith(d.host)) return d.cause;
  return `${theRouter(d)} sent something that is not a RouterOS API reply${because(d)}`;
}

const MESSAGES: Record<ConnectionErrorKind, (d: ConnectionErrorDetail) => string> = {
  refused: (d) =>
    `Nothing answers on ${where(d)}. Is the API service enabled (/ip service enable api, or api-ssl) and is the ` +
    `port right (8728 API, 8729 API-SSL)? Is a firewall rule dropping it, or is the service limited to other ` +
    `addresses (/ip service set api address=...)?`,
  timeout: (d) =>
    `${where(d)} did not answer in time${because(d)}. Check that the address is the router's, that this computer ` +
    `is on its network (or VPN), that no firewall silently drops the API port, and that the router is not ` +
    `overloaded (/system resource print).`,
  dns: (d) => `The name ${d.host ?? ''} could not be resolved. Check the spelling, or use the router's IP address.`,
  unreachable: (d) =>
    `No route to ${where(d)}. Is this computer connected to the router's network? Check cable, Wi-Fi or VPN.`,
  login: (d) =>
    `${theRouter(d)} refused the user name or password. Check both (they are case-sensitive), and that ` +
    `the user's group has the "api" policy (/user group).`,
  'tls-untrusted': (d) =>
    d.anonymous
      ? `${theRouter(d)} offers API-SSL without a certificate (anonymous Diffie-Hellman): the link is ` +
        `encrypted but the router cannot prove who it is. Accept only if you are on your own network.`
      : `${theRouter(d)} presented a certificate this app has not seen before (SHA-256 ${d.fingerprint ?? '?'}). ` +
        `Compare it with /certificate print detail on the router, then accept it to pin it.`,
  'tls-fingerprint-changed': (d) =>
    `The certificate of ${where(d)} changed: it was ${d.pinnedFingerprint ?? '?'}, now it is ` +
    `${d.anonymous ? 'no certificate at all (anonymous)' : (d.fingerprint ?? '?')}. This happens when the router's ` +
    `certificate was replaced (or the router was reset), but it is also what an attacker in the middle looks ` +
    `like. Check /certificate on the router; if you replaced it yourself, accept the new one.`,
  'tls-handshake': (d) =>
    `The TLS handshake with ${where(d)} failed (${d.cause ?? 'unknown reason'}). Is it really API-SSL (port 8729) ` +
    `and not the plain API port? Does /ip service show a certificate for api-ssl?`,
  closed: (d) =>
    `The connection to ${where(d)} was closed${because(d)}. If it keeps happening, the router's log ` +
    `(/log print) says why it ended the API session.`,
  down: (d) =>
    `Not connected to ${where(d)} right now; the command was not sent. It will work again once the link is back.`,
  protocol: (d) =>
    `${protocolLead(d)}. PortPilot closed the connection to protect itself. Check that ${where(d)} is the ` +
    `router's API port (8728, or 8729 for API-SSL) and not another service.`,
};

export class RouterConnectionError extends Error {
  readonly code = 'router-connection';
  constructor(
    readonly kind: ConnectionErrorKind,
    readonly detail: ConnectionErrorDetail = {},
  ) {
    super(MESSAGES[kind](detail));
    this.name = 'RouterConnectionError';
  }
}

/** A row or an input that does not have the expected shape. `field` names the offending field. */
export class ValidationError extends Error {
  readonly code = 'validation';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ValidationError';
  }
}
