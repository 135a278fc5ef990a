/**
 * Every file PortPilot keeps, named once (issue 17: six places used to pick their own names). The config
 * dir is Electron's userData on the desktop and `defaultConfigDir()` (core/config-dir.ts) in web mode.
 * Each name says what the file holds and who writes it; a test fails when a name is spelled elsewhere.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** Files and directories directly under the config dir. */
export const DATA_FILES = {
  /** Saved router profiles, no passwords. ProfileStore (profiles/profile-store.ts). */
  profiles: 'profiles.json',
  /** Web mode's saved passwords, AES-GCM encrypted. FileSecretStore (profiles/secret-store.ts). */
  secrets: 'secrets.json',
  /** The 256-bit key of `secrets` beside it. FileSecretStore (profiles/secret-store.ts). */
  secretsKey: 'secrets.key',
  /** The desktop's saved passwords, encrypted by the OS keychain. keychainSecrets (main/keychain-secrets.ts). */
  keychainSecrets: 'secrets.keychain.json',
  /** The apply journal shared by configuration and troubleshooter changes. fileJournalStore (plans/journal.ts). */
  configJournal: 'config-journal.json',
  /** The mapping rules the user set (Rules… dialog). The mappings service (services/mappings/). */
  mappingsSettings: 'mappings-settings.json',
  /**
   * What each router allowed the stale cleanup (API removal of a dynamic rule, IGD delete and add on
   * behalf of another device), per router key with its identity and RouterOS version, re-learnt when
   * either changes. CapabilityBook (mappings/learned.ts).
   */
  cleanupCapabilities: 'cleanup-capabilities.json',
  /**
   * The setup wizard's last applied choices per router key (roles, restrictions, NAT-PMP, each device's
   * preset), so running it again proposes the same setup. WizardChoicesFile (config/wizard/memory.ts).
   */
  wizardChoices: 'wizard-choices.json',
  /** The desktop's background watch choices (close to tray, hint shown). BackgroundPrefs (background/prefs.ts). */
  background: 'background.json',
  /** The STUN server to measure the NAT type with, and the user's consent to contact it. NatSettingsFile (services/nat/). */
  natSettings: 'nat-settings.json',
  /** A directory: the built-in demo router's own data (DEMO_ROUTER_FILES). demo-router/index.ts. */
  demoRouter: 'demo-router',
} as const;

export type DataFile = keyof typeof DATA_FILES;

/** Files inside the demo router's data dir (`DATA_FILES.demoRouter`, or the demo CLI's `--data-dir`). */
export const DEMO_ROUTER_FILES = {
  /** The api-ssl certificate it made at first start, like a real router. loadOrCreateCert (demo-router/index.ts). */
  cert: 'api-ssl.crt',
  /** That certificate's private key. loadOrCreateCert (demo-router/index.ts). */
  certKey: 'api-ssl.key',
} as const;

/**
 * Not under the config dir: the `portpilot setup` CLI's apply journal, in `$XDG_STATE_HOME/portpilot/`
 * (state, not configuration: XDG Base Directory Specification 0.8). cli/setup.ts.
 */
export const CLI_JOURNAL_FILE = 'cli-journal.json';

/**
 * Not under the config dir either: the Linux "start at login" entry, `$XDG_CONFIG_HOME/autostart/`
 * (XDG Autostart Specification 0.5; the directory is the user's, shared with every other program).
 * storage/autostart.ts writes and removes it; background/login-item.ts decides its content.
 */
export const AUTOSTART_FILE = 'portpilot.desktop';

/** Per-router mapping history (ages, events, chart). HistoryStore (mappings/history.ts). */
const HISTORY_PREFIX = 'mappings-history-';
const SLUG_MAX = 40;
/** 48 bits: a collision needs ~16 million routers on one computer (birthday bound). */
const HASH_HEX = 12;

/**
 * The history file of one router. `routerKey` is stable per router (its identity + host for a real
 * router, `demo-<scenario>-<runId>` for a demo run) and may hold anything: the name is a readable ASCII
 * slug of it (no separators, dots or case to trip a file system, bounded length) plus a hash of the exact
 * key, so keys that slug alike (`a.b` / `a-b`, `Router` / `router`) still get their own file.
 */
export function historyFile(routerKey: string): string {
  const slug =
    routerKey
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '') // combining marks: "é" slugs as "e"
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, SLUG_MAX)
      .replace(/^-+|-+$/g, '') || 'router';
  // UTF-16 code units, not UTF-8: UTF-8 would turn every lone surrogate into U+FFFD and merge keys.
  const hash = createHash('sha256').update(Buffer.from(routerKey, 'utf16le')).digest('hex').slice(0, HASH_HEX);
  return `${HISTORY_PREFIX}${slug}-${hash}.json`;
}

/** The config dir as one value: services are handed this instead of joining paths themselves. */
export class DataDir {
  constructor(readonly root: string) {}

  path(file: DataFile): string {
    return join(this.root, DATA_FILES[file]);
  }

  historyPath(routerKey: string): string {
    return join(this.root, historyFile(routerKey));
  }
}
