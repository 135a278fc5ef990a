/**
 * The setup wizard's memory (issue 13): the choices of its last successful apply on each router, so that
 * running it again with its defaults proposes the same setup — and so nothing — instead of removing the
 * device rules it just added (a preset whose ports need no rule on RouterOS 7 leaves no trace on the
 * router to read back). One small JSON file, written atomically, read with a schema: a file that does not
 * parse is forgotten, never trusted.
 */
import { z } from 'zod';
import type { FileStore } from '../../mappings/history';
import { DATA_FILES } from '../../storage';
import type { SetupChoicesInput as SetupChoices } from '../../../shared/domains/config';

export const WIZARD_CHOICES_FILE = DATA_FILES.wizardChoices;
/** Routers remembered at most; the least recently set are dropped first. */
export const MAX_ROUTERS = 50;

/** What is remembered: the choices, with each device's preset ('' = the user chose none for it). */
export type RememberedChoices = Omit<SetupChoices, 'devices'> & { devices: Record<string, string> };

const text = z.string().max(200);
const choicesSchema = z.object({
  internal: z.array(text).max(32),
  external: text,
  security: z.enum(['high-ports', 'keep']),
  natPmp: z.boolean(),
  devices: z.record(text, text).refine((r) => Object.keys(r).length <= 512),
});
const fileSchema = z.object({
  version: z.literal(1),
  routers: z.array(z.object({ key: z.string().max(400), at: z.string().max(64), choices: choicesSchema })).max(500),
});
type Entry = z.infer<typeof fileSchema>['routers'][number];

export class WizardChoicesFile {
  private entries: Entry[] = [];
  private readonly loaded: Promise<void>;

  constructor(
    private readonly files: FileStore,
    private readonly log: (line: string) => void = () => {},
    private readonly now: () => Date = () => new Date(),
  ) {
    this.loaded = this.load().catch((err: unknown) => {
      this.entries = [];
      this.log(`setup wizard memory unreadable, starting afresh: ${String(err)}`);
    });
  }

  private async load(): Promise<void> {
    const text = await this.files.read(WIZARD_CHOICES_FILE);
    if (text) this.entries = fileSchema.parse(JSON.parse(text)).routers;
  }

  async get(routerKey: string): Promise<RememberedChoices | null> {
    await this.loaded;
    return this.entries.find((e) => e.key === routerKey)?.choices ?? null;
  }

  /** Remembers what was applied; `offered` = every device the wizard showed (unchosen ones as ''). */
  async set(routerKey: string, choices: SetupChoices, offered: string[] = []): Promise<void> {
    await this.loaded;
    const devices: Record<string, string> = Object.fromEntries(offered.map((a) => [a, '']));
    for (const d of choices.devices) devices[d.address] = d.preset;
    const { internal, external, security, natPmp } = choices;
    const entry: Entry = {
      key: routerKey,
      at: this.now().toISOString(),
      choices: { internal, external, security, natPmp, devices },
    };
    this.entries = [entry, ...this.entries.filter((e) => e.key !== routerKey)].slice(0, MAX_ROUTERS);
    await this.files.write(WIZARD_CHOICES_FILE, JSON.stringify({ version: 1, routers: this.entries }));
  }
}
