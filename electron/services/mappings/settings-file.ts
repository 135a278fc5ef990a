import { DEFAULT_SETTINGS, settingsSchema, type MappingsSettings } from '../../../shared/domains/mappings';
import type { FileStore } from '../../mappings/history';
import { DATA_FILES } from '../../storage';

export const SETTINGS_FILE = DATA_FILES.mappingsSettings;

/** The mappings settings (stale rules, notifications, scheduled cleanup), kept in one JSON file. */
export class SettingsFile {
  private current: MappingsSettings = { ...DEFAULT_SETTINGS };
  readonly loaded: Promise<void>;

  constructor(
    private readonly files: FileStore,
    log: (line: string) => void,
  ) {
    this.loaded = this.load().catch((err: unknown) =>
      log(`mappings settings unreadable, using defaults: ${String(err)}`),
    );
  }

  get value(): MappingsSettings {
    return this.current;
  }

  private async load(): Promise<void> {
    const text = await this.files.read(SETTINGS_FILE);
    if (text) this.current = { ...DEFAULT_SETTINGS, ...settingsSchema.partial().parse(JSON.parse(text)) };
  }

  async save(patch: Partial<MappingsSettings>): Promise<MappingsSettings> {
    await this.loaded;
    this.current = settingsSchema.parse({ ...this.current, ...patch });
    await this.files.write(SETTINGS_FILE, JSON.stringify(this.current));
    return this.current;
  }
}
