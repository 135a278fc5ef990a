/**
 * Input validation that runs before anything is sent to the router. Every error names the field it
 * is about, so forms can show it next to the input and the CLI can print `field: message`.
 */
import type { FieldError } from '../../shared/domains/config';
import { isIPv4, parseCidr } from '../net/ipv4';

export class ValidationError extends Error {
  readonly code = 'validation';
  constructor(readonly fields: FieldError[]) {
    super(fields.map((f) => `${f.field}: ${f.message}`).join('; '));
    this.name = 'ValidationError';
  }
}

/** Collects field errors from several checks, then throws them together (or returns the values). */
export class Validator {
  readonly errors: FieldError[] = [];

  check<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      if (err instanceof ValidationError) this.errors.push(...err.fields);
      else throw err;
      return undefined;
    }
  }

  done(): void {
    if (this.errors.length > 0) throw new ValidationError(this.errors);
  }
}

const fail = (field: string, message: string): never => {
  throw new ValidationError([{ field, message }]);
};

/** A single port 1–65535 (`min` lets the guide's `0-1023` ranges start at 0). */
export function parsePort(field: string, value: string | number, min = 1): number {
  const text = String(value).trim();
  if (!/^\d+$/.test(text)) return fail(field, `“${text}” is not a port number (use ${min}–65535)`);
  const port = Number(text);
  if (port < min || port > 65535) return fail(field, `port ${port} is out of range (use ${min}–65535)`);
  return port;
}

/**
 * `80` or `1024-65535` with a ≤ b. The guide's permissions use `0-1023`, so a range may start at 0
 * when `allowZero` is set (RouterOS accepts it and it covers every privileged port).
 */
export function parsePortRange(field: string, value: string, opts: { allowZero?: boolean } = {}): string {
  const text = value.trim();
  const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(text);
  if (!m) return fail(field, `“${text}” is not a port or a range like 1024-65535`);
  const min = opts.allowZero ? 0 : 1;
  const a = parsePort(field, m[1] ?? '', min);
  if (m[2] === undefined) return String(a);
  const b = parsePort(field, m[2], min);
  if (a > b) return fail(field, `the range ${a}-${b} is backwards (the first port must not exceed the second)`);
  return a === b ? String(a) : `${a}-${b}`;
}

/** A strict dotted quad (electron/net/ipv4.ts); surrounding spaces, as typed in a form, are trimmed. */
export function parseIPv4(field: string, value: string): string {
  const text = value.trim();
  if (!isIPv4(text)) return fail(field, `“${text}” is not an IPv4 address like 192.168.88.10`);
  return text;
}

/** `192.168.88.0/24` (prefix 0–32); a bare address is a /32. */
export function parseIPv4Cidr(field: string, value: string): string {
  const text = value.trim();
  const address = text.split('/')[0] ?? '';
  if (!isIPv4(address)) return fail(field, `“${address}” is not an IPv4 address like 192.168.88.10`);
  if (parseCidr(text) === null) return fail(field, `“${value}” has a bad prefix length (use 0–32)`);
  return text;
}

export type Protocol = 'tcp' | 'udp' | 'both';

export function parseProtocol(field: string, value: string): Protocol {
  const text = value.trim().toLowerCase();
  if (text === 'tcp' || text === 'udp' || text === 'both') return text;
  return fail(field, `“${value}” is not a protocol (use tcp, udp or both)`);
}

/** The name must be an interface the router has (RouterOS would answer `input does not match any value`). */
export function parseInterface(field: string, value: string, known: readonly string[]): string {
  const text = value.trim();
  if (text === '') return fail(field, 'choose an interface');
  if (!known.includes(text)) {
    return fail(field, `the router has no interface “${text}” (it has ${known.join(', ') || 'none'})`);
  }
  return text;
}
