import { describe, expect, it } from 'vitest';
import { ContractError } from '../../shared/contract/result';
import type { ProfileView } from '../../shared/domains/router';
import { fakeClock } from '../mappings/testing/fake-clock';
import { lastUsedProfile, LoginResume, RETRY_DELAYS_MS, type ResumeDeps } from './resume';

const profile = (id: string, lastUsedAt: string | null, hasSavedPassword = true): ProfileView => ({
  id,
  name: `router ${id}`,
  host: '192.168.88.1',
  port: 8728,
  transport: 'api',
  user: 'admin',
  pinnedFingerprint: null,
  lastUsedAt,
  hasSavedPassword,
  builtIn: false,
});

const flush = () => new Promise((r) => setTimeout(r, 0));

function setup(profiles: ProfileView[], answers: Array<string | null>) {
  const clock = fakeClock();
  const connects: string[] = [];
  const asked: Array<{ profileId: string; label: string }> = [];
  let active = false;
  const deps: ResumeDeps = {
    listProfiles: async () => profiles,
    async connect(id) {
      connects.push(id);
      const code = answers.shift() ?? null;
      if (code) throw new ContractError(code, code);
    },
    othersActive: async () => active,
    onNeedsPassword: (p) => asked.push(p),
    clock,
    log: () => {},
  };
  return { resume: new LoginResume(deps), clock, connects, asked, setActive: (v: boolean) => (active = v) };
}

describe('login start: reconnect to the last router', () => {
  it('picks the profile used last', () => {
    const p = [profile('a', '2024-01-01T00:00:00Z'), profile('b', '2024-06-01T00:00:00Z'), profile('c', null)];
    expect(lastUsedProfile(p)?.id).toBe('b');
    expect(lastUsedProfile([profile('c', null)])).toBeNull();
  });

  it('connects with the saved password', async () => {
    const s = setup([profile('a', '2024-01-01T00:00:00Z')], [null]);
    expect(await s.resume.run()).toBe('connected');
    expect(s.connects).toEqual(['a']);
  });

  it('a profile that asks each time is not tried: the tray says it needs the password', async () => {
    const s = setup([profile('a', '2024-01-01T00:00:00Z', false)], []);
    expect(await s.resume.run()).toBe('needs-password');
    expect(s.connects).toEqual([]);
    expect(s.asked).toEqual([{ profileId: 'a', label: 'router a' }]);
  });

  it('a saved password that no longer applies (needs-password from connect) asks too', async () => {
    const s = setup([profile('a', '2024-01-01T00:00:00Z')], ['needs-password']);
    expect(await s.resume.run()).toBe('needs-password');
    expect(s.asked).toHaveLength(1);
  });

  it('nothing used yet: nothing to do', async () => {
    expect(await setup([], []).resume.run()).toBe('no-profile');
  });

  it('an unreachable router (network still coming up) is tried again, then given up', async () => {
    const s = setup([profile('a', '2024-01-01T00:00:00Z')], Array(10).fill('unreachable'));
    const done = s.resume.run();
    for (const delay of RETRY_DELAYS_MS) {
      await flush();
      s.clock.advance(delay);
    }
    expect(await done).toBe('gave-up');
    expect(s.connects).toHaveLength(RETRY_DELAYS_MS.length + 1);
  });

  it('retries succeed once the network is up; a refusal is not retried', async () => {
    const s = setup([profile('a', '2024-01-01T00:00:00Z')], ['timeout', null]);
    const done = s.resume.run();
    await flush();
    s.clock.advance(RETRY_DELAYS_MS[0]!);
    expect(await done).toBe('connected');
    expect(await setup([profile('a', '2024-01-01T00:00:00Z')], ['login-failed']).resume.run()).toBe('refused');
  });

  it('stops when the user connects from the window meanwhile, or on quit', async () => {
    const s = setup([profile('a', '2024-01-01T00:00:00Z')], ['unreachable', 'unreachable']);
    const done = s.resume.run();
    await flush();
    s.setActive(true);
    s.clock.advance(RETRY_DELAYS_MS[0]!);
    expect(await done).toBe('cancelled');
    expect(s.connects).toHaveLength(1);

    const q = setup([profile('a', '2024-01-01T00:00:00Z')], ['unreachable']);
    const quit = q.resume.run();
    await flush();
    q.resume.cancel();
    expect(await quit).toBe('cancelled');
    expect(q.clock.pending()).toBe(0);
  });
});
