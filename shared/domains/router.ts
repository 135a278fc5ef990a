import { z } from 'zod';
import { defineDomain, event, method } from '../contract/define';

/*
 * The router session domain: saved profiles, connect/disconnect, the built-in demo router, the
 * connection state, and the Overview. Passwords go in (connect, save) and never come back out.
 */

export const transportSchema = z.enum(['api', 'api-ssl']);
export type RouterTransport = z.infer<typeof transportSchema>;

const hostSchema = z
  .string()
  .trim()
  .min(1, 'enter the router’s address (e.g. 192.168.88.1)')
  .max(253, 'is too long for a host name')
  .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or an IPv4/IPv6 address');
const portSchema = z
  .number({ message: 'must be a number from 1 to 65535' })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(65535, 'must be at most 65535');

export const profileInputSchema = z
  .object({
    id: z.string().max(64).optional(),
    name: z.string().trim().min(1, 'give the profile a name').max(80),
    host: hostSchema,
    port: portSchema,
    transport: transportSchema,
    user: z.string().trim().min(1, 'enter the RouterOS user name').max(100),
    /** Only when the user typed one; absent keeps the saved password. */
    password: z.string().max(1000).optional(),
    savePassword: z.boolean(),
  })
  .strict();
export type ProfileInput = z.infer<typeof profileInputSchema>;

/**
 * The pin of an API-SSL router without a certificate (anonymous Diffie-Hellman, RouterOS api-ssl's
 * default): the link is encrypted but not authenticated.
 */
export const ANONYMOUS_FINGERPRINT = 'anonymous';

/** A saved router profile's own fields: main's profiles file stores them, the Connect screen shows them. */
export interface ProfileFields {
  id: string;
  name: string;
  host: string;
  port: number;
  transport: RouterTransport;
  user: string;
  /** SHA-256 fingerprint the user accepted, ANONYMOUS_FINGERPRINT for a certificate-less API-SSL, or null. */
  pinnedFingerprint: string | null;
  /** ISO 8601, null until first used. */
  lastUsedAt: string | null;
}

export interface ProfileView extends ProfileFields {
  hasSavedPassword: boolean;
  builtIn: boolean;
}

/** The demo router's RouterOS flavour: `routeros7` like a real 7.18+ router, `seed` with the guide's menus.
 *  (Called a dialect so it is never confused with a saved connection profile.) */
export const demoDialectSchema = z.enum(['routeros7', 'seed']);
export type DemoDialect = z.infer<typeof demoDialectSchema>;
export const demoScenarioSchema = z.enum(['home', 'fresh', 'nat-type-3', 'large']);
export type DemoScenario = z.infer<typeof demoScenarioSchema>;

/** Where saved passwords are kept; `weaker` = not the OS keychain (the Connect screen warns). */
export interface SecretStorageView {
  kind: 'os-keychain' | 'encrypted-file';
  weaker: boolean;
  /** What holds the key: 'dpapi' (Windows), 'keychain' (macOS), Electron's Linux backend
   *  ('gnome_libsecret', 'kwallet5', 'basic_text', …), or 'file' (web mode). */
  backend: string;
  /** False when passwords are asked at each connection instead of saved (Linux without a keychain). */
  canSave: boolean;
  /** Why they cannot be saved, for people; null when they can. */
  reason: string | null;
}

/** What the logged-in user's group allows (`/user/group` policy, RouterOS "User" manual). */
export interface UserPolicy {
  user: string;
  group: string;
  /** Look at the configuration. */
  read: boolean;
  /** Change it: every apply, fix, cleanup and row action needs this. */
  write: boolean;
  /** Reboot the router. */
  reboot: boolean;
  /** Use the API (a login without it is refused by the router). */
  api: boolean;
}

export interface Capabilities {
  identity: string;
  version: string;
  board: string;
  architecture: string;
  uptimeSeconds: number;
  menus: { upnpPermissions: boolean; upnpMappings: boolean; natPmp: boolean };
  /**
   * The logged-in user's group policy, read at connect; null when it could not be read (a user the
   * router authenticates by RADIUS has no /user row, or the group may not read /user).
   */
  policy: UserPolicy | null;
  /**
   * How the link is protected: `none` (plain API), `anonymous` (API-SSL without a certificate:
   * encrypted, not authenticated) or `certificate` (API-SSL with the pinned certificate).
   */
  encryption: 'none' | 'anonymous' | 'certificate';
}

/**
 * Which router a session talks to, as values (never a label to be parsed back): the saved profile (or
 * the built-in demo), where it is, and a label for people.
 */
export interface RouterRef {
  profileId: string;
  host: string;
  port: number;
  transport: RouterTransport;
  /** For people: `admin@192.168.88.1:8728`, `demo router (RouterOS 7, home)`. Display only. */
  label: string;
  /** The embedded demo router: its dialect and scenario; null for a real router. */
  demo: { dialect: DemoDialect; scenario: DemoScenario } | null;
}

export type SessionState =
  | { kind: 'idle' }
  | { kind: 'connecting'; router: RouterRef }
  | { kind: 'connected'; router: RouterRef; capabilities: Capabilities }
  | { kind: 'reconnecting'; router: RouterRef; attempt: number; inMs: number; reason: string }
  | { kind: 'disconnected'; router: RouterRef; reason: string };

export interface TestStep {
  id: 'tcp' | 'tls' | 'login' | 'version';
  status: 'pass' | 'fail' | 'skip';
  detail: string;
}

export interface InterfaceRole {
  service: 'upnp' | 'nat-pmp';
  interface: string;
  type: 'internal' | 'external';
  disabled: boolean;
}

export interface Overview {
  capabilities: Capabilities;
  upnp: { enabled: boolean; allowDisableExternalInterface: boolean; showDummyRule: boolean };
  /** null when this RouterOS has no /ip nat-pmp menu. */
  natPmp: { enabled: boolean } | null;
  interfaces: InterfaceRole[];
  mappings: { upnp: number; natPmp: number };
  wanAddress: string | null;
  /**
   * What kind of address the WAN has (IANA special-purpose registry, RFC 6890): `private` (RFC 1918) means
   * another router in front does NAT too (double NAT); `cgnat` (100.64.0.0/10, RFC 6598) that the provider
   * shares it; `other` loopback, link-local or reserved; null when there is no WAN address.
   */
  wanKind: 'public' | 'private' | 'cgnat' | 'other' | null;
  notes: string[];
}

const connectSchema = z
  .object({
    profileId: z.string().min(1).max(64),
    /** For profiles without a saved password ("ask each time"). */
    password: z.string().max(1000).optional(),
    /** SHA-256 fingerprint the user accepted after seeing it (API-SSL trust on first use). */
    acceptFingerprint: z.string().max(200).optional(),
  })
  .strict();

export const routerDomain = defineDomain({
  name: 'router',
  methods: {
    listProfiles: method<z.ZodUndefined, ProfileView[]>(z.undefined()),
    saveProfile: method<typeof profileInputSchema, ProfileView>(profileInputSchema),
    deleteProfile: method<z.ZodObject<{ id: z.ZodString }>, void>(z.object({ id: z.string().min(1).max(64) }).strict()),
    testConnection: method<typeof profileInputSchema, { steps: TestStep[]; fingerprint: string | null }>(
      profileInputSchema,
    ),
    connect: method<typeof connectSchema, SessionState>(connectSchema),
    startDemo: method<
      z.ZodObject<{ dialect: typeof demoDialectSchema; scenario: typeof demoScenarioSchema }>,
      SessionState
    >(z.object({ dialect: demoDialectSchema, scenario: demoScenarioSchema }).strict()),
    disconnect: method<z.ZodUndefined, SessionState>(z.undefined()),
    state: method<z.ZodUndefined, SessionState>(z.undefined()),
    overview: method<z.ZodUndefined, Overview>(z.undefined()),
    secretStorage: method<z.ZodUndefined, SecretStorageView>(z.undefined()),
  },
  events: {
    state: event<SessionState>(),
  },
  errorCodes: [
    'not-connected',
    'needs-password',
    'login-failed',
    'unreachable',
    'timeout',
    'tls-untrusted',
    'tls-changed',
    'tls-failed',
    'router-error',
    'not-found',
  ],
});
export type RouterErrorCode = (typeof routerDomain.errorCodes)[number];
