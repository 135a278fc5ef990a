/** The desktop's background watch choices, in one small JSON file (DATA_FILES.background). */
import { z } from 'zod';
import type { FileStore } from '../mappings/history';
import { DATA_FILES } from '../storage';

const prefsSchema = z
  .object({
    /** Closing the window keeps PortPilot watching in the tray. */
    closeToTray: z.boolean(),
    /** The "still watching in the tray" hint was shown once (it is shown the first time only). */
    trayHintShown: z.boolean(),
  })
  .strict();
export type BackgroundPrefsData = z.infer<typeof prefsSchema>;

export const DEFAULT_PREFS: BackgroundPrefsData = { closeToTray: true, trayHintShown: false };

export class BackgroundPrefs {
  private current: BackgroundPrefsData = { ...DEFAULT_PREFS };
  readonly loaded: Promise<void>;

  constructor(
    private readonly files: FileStore,
    log: (line: string) => void,
  ) {
    this.loaded = this.load().catch((err: unknown) =>
      log(`background settings unreadable, using defaults: ${String(err)}`),
    );
  }

  get value(): BackgroundPrefsData {
    return this.current;
  }

  private async load(): Promise<void> {
    const text = await this.files.read(DATA_FILES.background);
    if (text) this.current = { ...DEFAULT_PREFS, ...prefsSchema.partial().parse(JSON.parse(text)) };
  }

  async save(patch: Partial<BackgroundPrefsData>): Promise<BackgroundPrefsData> {
    await this.loaded;
    this.current = prefsSchema.parse({ ...this.current, ...patch });
    await this.files.write(DATA_FILES.background, JSON.stringify(this.current));
    return this.current;
  }
}
