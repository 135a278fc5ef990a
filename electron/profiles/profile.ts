/**
 * A saved router profile and its field validation. The password is not part of a profile: it lives
 * in a SecretStore (passwordMode 'saved') or is asked for at each connect ('ask'). The fields a
 * profile shares with the Connect screen are the router contract's `ProfileFields`.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import {
  transportSchema,
  type ProfileFields,
  type ProfileInput as ContractProfileInput,
} from '../../shared/domains/router';

export const DEFAULT_PORTS = { api: 8728, 'api-ssl': 8729 } as const;

export type PasswordMode = 'saved' | 'ask';

/** A saved profile: the contract's fields plus where its password lives. */
export interface Profile extends ProfileFields {
  passwordMode: PasswordMode;
}

/** How the profiles file (DATA_FILES.profiles) is checked when read (the file is user-editable). */
export const profileSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1).max(64),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  transport: transportSchema,
  user: z.string().min(1),
  pinnedFingerprint: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  passwordMode: z.enum(['saved', 'ask']),
}) satisfies z.ZodType<Profile>;

export const profilesFileSchema = z.object({
  version: z.literal(1),
  profiles: z.array(profileSchema),
});

/**
 * What the Connect screen submits when adding or editing: the contract's input with the port still as
 * typed (it defaults by transport) and the password choice instead of the password.
 */
export interface ProfileInput extends Pick<ContractProfileInput, 'name' | 'host' | 'transport' | 'user'> {
  port?: number | string | null;
  passwordMode: PasswordMode;
}

export type ProfileField = keyof ProfileInput;
export type FieldErrors = Partial<Record<ProfileField, string>>;
export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** RFC 1123 host name: labels of letters, digits and hyphens, not starting or ending with a hyphen. */
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

export function validateHost(raw: string): string | undefined {
  const host = raw.trim();
  if (host === '') return 'Enter the router address, e.g. 192.168.88.1 or router.lan.';
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) !== 0) return undefined;
  if (/^[\d.]+$/.test(host)) return `${host} is not a valid IPv4 address (four numbers 0–255, e.g. 192.168.88.1).`;
  if (host.includes(':')) return `${host} is not a valid IPv6 address.`;
  if (!HOSTNAME.test(host)) return `${host} is not a valid host name (letters, digits, hyphens and dots only).`;
  return undefined;
}

function parsePort(raw: ProfileInput['port'], transport: ProfileInput['transport']): number | string {
  if (raw === undefined || raw === null || raw === '') return DEFAULT_PORTS[transport] ?? 8728;
  const n = typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    return 'The port is a number from 1 to 65535 (8728 API, 8729 API-SSL).';
  return n;
}

export type CleanInput = Omit<Profile, 'id' | 'pinnedFingerprint' | 'lastUsedAt'>;

export function validateInput(input: ProfileInput): Validated<CleanInput> {
  const errors: FieldErrors = {};
  const name = (input.name ?? '').trim();
  if (name === '') errors.name = 'Give the profile a name, e.g. "Home router".';
  else if (name.length > 64) errors.name = 'Keep the name under 64 characters.';
  const hostError = validateHost(input.host ?? '');
  if (hostError) errors.host = hostError;
  const transport = input.transport;
  if (transport !== 'api' && transport !== 'api-ssl') errors.transport = 'Choose API or API-SSL.';
  const port = parsePort(input.port, transport === 'api-ssl' ? 'api-ssl' : 'api');
  if (typeof port === 'string') errors.port = port;
  const user = (input.user ?? '').trim();
  if (user === '') errors.user = 'Enter the RouterOS user name (e.g. admin, or a user made for PortPilot).';
  if (input.passwordMode !== 'saved' && input.passwordMode !== 'ask')
    errors.passwordMode = 'Choose whether to save the password.';
  if (Object.keys(errors).length > 0 || typeof port === 'string') return { ok: false, errors };
  const trimmed = input.host.trim();
  // Stored bare: sockets take `::1`, not `[::1]`.
  const host = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
  return { ok: true, value: { name, host, port, transport, user, passwordMode: input.passwordMode } };
}
