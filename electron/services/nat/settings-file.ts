// The NAT measurement settings on disk (issue 12): which STUN server to ask, and whether the user
// agreed to contact it. One small JSON file in the config dir, written atomically (electron/storage).
import { z } from 'zod';
import type { NatConsent } from '../../../shared/domains/nat';
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
