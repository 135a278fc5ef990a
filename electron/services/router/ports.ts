import type { Capabilities, ProfileInput, ProfileView, RouterTransport } from '../../../shared/domains/router';

import type { RouterPort } from '../../core/router-port';

export interface SessionTarget {
  host: string;
  port: number;
  transport: RouterTransport;
  user: string;
  password: string;
  pinnedFingerprint: string | null;
}

/** A live RouterOS session (electron/router-session): the RouterPort menus plus its lifecycle. */
export interface SessionPort extends Omit<RouterPort, 'capabilities'> {
  connect(): Promise<Capabilities>;
  close(): Promise<void>;
  onState(listener: (state: PortSessionState) => void): () => void;
}

export type PortSessionState =
  | { kind: 'connecting' }
  | { kind: 'connected'; capabilities: Capabilities }
  | { kind: 'reconnecting'; attempt: number; inMs: number; reason: string }
  | { kind: 'disconnected'; reason: string };

export interface StoredProfile {
  id: string;
  name: string;
  host: string;
  port: number;
  transport: RouterTransport;
  user: string;
  pinnedFingerprint: string | null;
  lastUsedAt: string | null;
  passwordMode: 'saved' | 'ask';
}

export interface ProfilesPort {
  list(): Promise<StoredProfile[]>;
  get(id: string): Promise<StoredProfile | undefined>;
  save(
    input: Omit<ProfileInput, 'password' | 'savePassword'> & { passwordMode: 'saved' | 'ask' },
  ): Promise<StoredProfile>;
  remove(id: string): Promise<void>;
  update(id: string, patch: Partial<Pick<StoredProfile, 'pinnedFingerprint' | 'lastUsedAt'>>): Promise<void>;
}

export interface SecretsPort {
  readonly kind: 'os-keychain' | 'encrypted-file';
  readonly weaker: boolean;
  get(id: string): Promise<string | null>;
  has(id: string): Promise<boolean>;
  set(id: string, secret: string): Promise<void>;
  delete(id: string): Promise<void>;
}

export interface DemoRouterHandle {
  host: string;
  apiPort: number;
  user: string;
  password: string;
  stop(): Promise<void>;
}

export interface RouterServicePorts {
  profiles: ProfilesPort;
  secrets: SecretsPort;
  openSession(target: SessionTarget): SessionPort;
  testConnection(
    target: SessionTarget,
  ): Promise<{ steps: import('../../../shared/domains/router').TestStep[]; fingerprint: string | null }>;
  startDemoRouter(options: {
    profile: 'routeros7' | 'seed';
    scenario: 'home' | 'fresh' | 'nat-type-3' | 'large';
  }): Promise<DemoRouterHandle>;
  /** Maps a session/connection error to a contract error (code, message, detail). */
  describeError(error: unknown): { code: string; message: string; detail?: unknown };
  log(line: string): void;
}

export type { ProfileView };
