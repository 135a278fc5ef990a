/** What the session connects to, what it learns on connect, and the states it goes through. */

export type Transport = 'api' | 'api-ssl';

export interface RouterTarget {
  host: string;
  port: number;
  transport: Transport;
  user: string;
  /** Never logged, never put in an error message. */
  password: string;
  /** SHA-256 fingerprint accepted by the user (`AB:CD:…`), or 'anonymous' (tls.ts ANONYMOUS_PIN). */
  pinnedFingerprint?: string | null;
  /** TCP + TLS + login + capability probe must finish within this (default 10 s). */
  connectTimeoutMs?: number;
  /** Total deadline of one command, first word sent to `!done` (default 60 s). */
  commandTimeoutMs?: number;
  /** A cheap command every this often proves the link alive (default 15 s). */
  keepaliveMs?: number;
}

export interface Capabilities {
  /** `/system/resource` version, e.g. "7.18.2 (stable)". */
  version: string;
  /** Major.minor parsed from version when it has that form ("7.18"), else undefined. */
  versionNumber: { major: number; minor: number; patch: number } | undefined;
  board: string | undefined;
  architecture: string | undefined;
  identity: string;
  uptimeSeconds: number;
  /** Menus found by trying a print (not by version): seed-guide menus are absent on real 7.x. */
  menus: {
    upnpPermissions: boolean;
    upnpMappings: boolean;
    natPmp: boolean;
  };
  transport: Transport;
  tls: { anonymous: true } | { anonymous: false; fingerprint: string } | undefined;
}

export type SessionState =
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'connected'; capabilities: Capabilities }
  | { kind: 'reconnecting'; attempt: number; inMs: number; reason: string }
  | { kind: 'disconnected'; reason: string; error?: { kind: string; message: string } };
