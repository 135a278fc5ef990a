// The NAT measurement settings on disk (issue 12): which STUN server to ask, and whether the user
// agreed to contact it. One small JSON file in the config dir, written atomically (electron/storage),
// and NatSettingsState: the contract's view of it and the two ways it changes.
import { z } from 'zod';
import { ContractError } from '../../../shared/contract/result';
import type { NatConsent, NatSettings } from '../../../shared/domains/nat';
import { showServer, splitStunServer, type StunServerAddress } from '../../../shared/stun-server';
import type { FileStore } from '../../mappings/history';
import { DATA_FILES } from '../../storage';

export const NAT_SETTINGS_FILE = DATA_FILES.natSettings;

export interface StoredNatSettings {
  /** "host:port", or null for the default server. */
  server: string | null;
  consent: NatConsent | null;
}

const fileSchema = z.object({
  version: z.literal(1),
  server: z.string().max(260).nullable(),
  consent: z.object({ server: z.string().max(260), at: z.string().max(64) }).nullable(),
});

const EMPTY: StoredNatSettings = { server: null, consent: null };

export class NatSettingsFile {
  private current: StoredNatSettings = EMPTY;
  readonly loaded: Promise<void>;

  constructor(
    private readonly files: FileStore,
    log: (line: string) => void,
  ) {
    // An unreadable file means "never asked": PortPilot asks again rather than assume consent.
    this.loaded = this.load().catch((err: unknown) =>
      log(`NAT settings unreadable, asking for consent again: ${String(err)}`),
    );
  }

  get value(): StoredNatSettings {
    return this.current;
  }

  private async load(): Promise<void> {
    const text = await this.files.read(NAT_SETTINGS_FILE);
    if (!text) return;
    const { server, consent } = fileSchema.parse(JSON.parse(text));
    this.current = { server, consent };
  }

  async save(next: StoredNatSettings): Promise<StoredNatSettings> {
    await this.loaded;
    this.current = { ...next };
    await this.files.write(NAT_SETTINGS_FILE, JSON.stringify({ version: 1, ...next }));
    return this.current;
  }
}

/** The settings as the contract shows them, and the two ways they change. */
export class NatSettingsState {
  constructor(
    private readonly file: NatSettingsFile,
    private readonly defaultServer: string,
    private readonly now: () => number,
  ) {}

  async view(): Promise<NatSettings> {
    await this.file.loaded;
    const { server, consent } = this.file.value;
    const current = server ?? this.defaultServer;
    return { server: current, defaultServer: this.defaultServer, isDefault: current === this.defaultServer, consent };
  }

  /** The setting's server when the user agreed to contact exactly it, else null. */
  async consented(): Promise<StunServerAddress | null> {
    const s = await this.view();
    return s.consent?.server === s.server ? splitStunServer(s.server) : null;
  }

  /** null: the default. Another server is another third party: the user is asked again. */
  async choose(server: string | null): Promise<NatSettings> {
    const before = await this.view();
    const parsed = server === null ? null : splitStunServer(server);
    const chosen = parsed ? showServer(parsed) : null;
    const next = chosen === this.defaultServer ? null : chosen;
    const keep = (next ?? this.defaultServer) === before.server ? this.file.value.consent : null;
    await this.file.save({ server: next, consent: keep });
    return this.view();
  }

  /** Records or withdraws the consent for the server the user saw named, which must still be the setting. */
  async answer(server: string, agree: boolean): Promise<NatSettings> {
    const s = await this.view();
    const named = splitStunServer(server);
    if (!named || showServer(named) !== s.server)
      throw new ContractError(
        'server-changed',
        `The STUN server is now ${s.server}, not ${server}: look at the setting again and agree to the server it names.`,
      );
    const consent = agree ? { server: s.server, at: new Date(this.now()).toISOString() } : null;
    await this.file.save({ ...this.file.value, consent });
    return this.view();
  }
}
