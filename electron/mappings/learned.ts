/**
 * What a router allowed the stale cleanup, learnt by trying (issue 11): removing a dynamic rule
 * through the API, IGD DeletePortMapping of another device's mapping, IGD AddPortMapping on behalf of
 * another device. Real RouterOS 7's answers are unknown (routeros-facts.md), so PortPilot asks each
 * router once and remembers the answer per router — keyed by the router's data key and stored with
 * its identity and RouterOS version: when either changes (an upgrade may change the answer) the
 * answers are learnt again. A refusal costs nothing to learn (a refused request changes nothing).
 */
import { z } from 'zod';
import type { Answer, LearnedCapabilities } from '../../shared/domains/mappings';
import type { MappingsClock } from './clock';
import type { FileStore } from './history';

export type { Answer, LearnedCapabilities } from '../../shared/domains/mappings';

export const NOTHING_LEARNT: LearnedCapabilities = {
  dynamicRemove: 'unknown',
  foreignDelete: 'unknown',
  foreignAdd: 'unknown',
};

/** Routers remembered at most (the least recently learnt are forgotten). */
export const MAX_ROUTERS = 200;

const answer = z.enum(['allowed', 'refused', 'unknown']);
const entrySchema = z.object({
  identity: z.string().max(256),
  version: z.string().max(64),
  learnedAt: z.number(),
  dynamicRemove: answer,
  foreignDelete: answer,
  foreignAdd: answer,
});
const fileSchema = z.object({ version: z.literal(1), routers: z.record(z.string().max(600), entrySchema) });
type Entry = z.infer<typeof entrySchema>;

/** The facts that make an answer stale when they change. */
export interface RouterFacts {
  identity: string;
  version: string;
}

export class CapabilityBook {
  private routers: Record<string, Entry> | null = null;
  private loading: Promise<void> | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly files: FileStore,
    private readonly name: string,
    private readonly clock: MappingsClock,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** What this router allowed, or `unknown` for anything not learnt on this identity and version. */
  async get(key: string, router: RouterFacts): Promise<LearnedCapabilities> {
    const e = (await this.load())[key];
    if (!e || e.identity !== router.identity || e.version !== router.version) return { ...NOTHING_LEARNT };
    return { dynamicRemove: e.dynamicRemove, foreignDelete: e.foreignDelete, foreignAdd: e.foreignAdd };
  }

  /** Records answers (an `unknown` never overwrites a learnt one) and saves. */
  async record(key: string, router: RouterFacts, answers: Partial<LearnedCapabilities>): Promise<LearnedCapabilities> {
    const routers = await this.load();
    const next: Entry = { ...(await this.get(key, router)), ...router, learnedAt: this.clock.now() };
    for (const [k, v] of Object.entries(answers) as Array<[keyof LearnedCapabilities, Answer]>) {
      if (v !== 'unknown') next[k] = v;
    }
    routers[key] = next;
    const keys = Object.keys(routers);
    if (keys.length > MAX_ROUTERS) {
      keys.sort((a, b) => (routers[a]?.learnedAt ?? 0) - (routers[b]?.learnedAt ?? 0));
      for (const old of keys.slice(0, keys.length - MAX_ROUTERS)) delete routers[old];
    }
    const text = JSON.stringify({ version: 1, routers });
    this.saving = this.saving
      .then(() => this.files.write(this.name, text))
      .catch((err: unknown) => this.log(`cleanup capabilities not saved: ${String(err)}`));
    await this.saving;
    return { dynamicRemove: next.dynamicRemove, foreignDelete: next.foreignDelete, foreignAdd: next.foreignAdd };
  }

  private async load(): Promise<Record<string, Entry>> {
    this.loading ??= this.read();
    await this.loading;
    return (this.routers ??= {});
  }

  private async read(): Promise<void> {
    try {
      const text = await this.files.read(this.name);
      this.routers = text ? fileSchema.parse(JSON.parse(text)).routers : {};
    } catch (err) {
      // A damaged file only means learning again: refusals cost nothing to find out.
      this.log(`cleanup capabilities unreadable, learning again: ${String(err)}`);
      this.routers = {};
    }
  }
}
