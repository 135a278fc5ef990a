/**
 * Started at login, hidden in the tray: reconnect to the router used last (profiles keep `lastUsedAt`).
 * Only with a saved password — a profile that asks each time makes the tray say "needs your password"
 * and wait for the user, never a login attempt without one. The network may still be coming up right
 * after login, so an unreachable router is tried again a few times, then left to the user; a refusal
 * (wrong password, changed certificate) is not retried: the router state says why.
 */
import { ContractError } from '../../shared/contract/result';
import type { ProfileView } from '../../shared/domains/router';
import type { MappingsClock } from '../mappings/clock';

/** After the first attempt: ~4 minutes in all, enough for Wi-Fi or a VPN to come up after login. */
export const RETRY_DELAYS_MS = [5_000, 15_000, 30_000, 60_000, 120_000];
const RETRIED = new Set(['unreachable', 'timeout']);

export type ResumeOutcome = 'connected' | 'no-profile' | 'needs-password' | 'refused' | 'gave-up' | 'cancelled';

export interface ResumeDeps {
  listProfiles(): Promise<ProfileView[]>;
  /** Connects with the saved password; throws a ContractError (code `needs-password`, `unreachable`…). */
  connect(profileId: string): Promise<unknown>;
  /** Asked between attempts: a router is connected or connecting (the user, from the window): stop. */
  othersActive(): Promise<boolean>;
  onNeedsPassword(profile: { profileId: string; label: string }): void;
  clock: Pick<MappingsClock, 'setTimeout' | 'clearTimeout'>;
  log: (line: string) => void;
}

export function lastUsedProfile(profiles: readonly ProfileView[]): ProfileView | null {
  let best: ProfileView | null = null;
  for (const p of profiles) {
    if (p.builtIn || p.lastUsedAt === null) continue;
    if (!best || Date.parse(p.lastUsedAt) > Date.parse(best.lastUsedAt ?? '')) best = p;
  }
  return best;
}

export class LoginResume {
  private cancelled = false;
  private wake: { timer: unknown; resolve: () => void } | null = null;

  constructor(private readonly deps: ResumeDeps) {}

  async run(): Promise<ResumeOutcome> {
    const profile = lastUsedProfile(await this.deps.listProfiles());
    if (!profile) return 'no-profile';
    const label = profile.name;
    if (!profile.hasSavedPassword) return this.needsPassword(profile.id, label);
    for (let attempt = 0; ; attempt++) {
      if (this.cancelled || (attempt > 0 && (await this.deps.othersActive()))) return 'cancelled';
      const code = await this.deps.connect(profile.id).then(
        () => null,
        (err: unknown) => (err instanceof ContractError ? err.code : 'internal'),
      );
      if (code === null) return 'connected';
      if (code === 'needs-password') return this.needsPassword(profile.id, label);
      const delay = RETRY_DELAYS_MS[attempt];
      if (!RETRIED.has(code)) return 'refused';
      if (delay === undefined) return 'gave-up';
      this.deps.log(`login start: ${label} ${code}, trying again in ${delay / 1000} s`);
      await this.sleep(delay);
    }
  }

  cancel(): void {
    this.cancelled = true;
    if (this.wake) {
      this.deps.clock.clearTimeout(this.wake.timer);
      this.wake.resolve();
    }
  }

  private needsPassword(profileId: string, label: string): ResumeOutcome {
    this.deps.onNeedsPassword({ profileId, label });
    return 'needs-password';
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.deps.clock.setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = { timer, resolve };
    });
  }
}
