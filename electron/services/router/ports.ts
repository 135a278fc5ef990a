import type { DemoDialect, DemoScenario, ProfileInput, TestStep } from '../../../shared/domains/router';
import type { DemoEndpoints, LinkSession } from '../../core/router-link';
import type { Profile } from '../../profiles';
import type { RouterTarget } from '../../router-session';

/** Saved router profiles (electron/profiles on disk); field errors come back as a ContractError. */
export interface ProfilesPort {
  list(): Promise<Profile[]>;
  get(id: string): Promise<Profile | undefined>;
  save(
    input: Omit<ProfileInput, 'password' | 'savePassword'> & { passwordMode: Profile['passwordMode'] },
  ): Promise<Profile>;
  remove(id: string): Promise<void>;
  update(id: string, patch: Partial<Pick<Profile, 'pinnedFingerprint' | 'lastUsedAt'>>): Promise<void>;
}

export interface SecretsPort {
  readonly kind: 'os-keychain' | 'encrypted-file';
  readonly weaker: boolean;
  readonly backend: string;
  /** False: save profiles with "ask each time" and say why (`cannotSaveReason`). */
  readonly canSave: boolean;
  readonly cannotSaveReason: string | null;
  get(id: string): Promise<string | null>;
  has(id: string): Promise<boolean>;
  set(id: string, secret: string): Promise<void>;
  delete(id: string): Promise<void>;
}

/** A running embedded demo router, reachable on loopback only. */
export interface DemoRouterHandle {
  host: string;
  apiPort: number;
  user: string;
  password: string;
  endpoints: DemoEndpoints;
  /** Unique per start: the demo's devices and mappings are new each time. */
  runId: string;
  stop(): Promise<void>;
}

export interface RouterServicePorts {
  profiles: ProfilesPort;
  secrets: SecretsPort;
  openSession(target: RouterTarget): LinkSession;
  testConnection(target: RouterTarget): Promise<{ steps: TestStep[]; fingerprint: string | null }>;
  startDemoRouter(options: { dialect: DemoDialect; scenario: DemoScenario }): Promise<DemoRouterHandle>;
  /** Maps a session/connection error to a contract error (code, message, detail). */
  describeError(error: unknown): { code: string; message: string; detail?: unknown };
  log(line: string): void;
}
