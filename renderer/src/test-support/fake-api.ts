import type { PortPilotApi } from '../../../shared/domains';

export type Listener = (payload: unknown) => void;

/**
 * A fake `window.api` for renderer tests: `domain.onX(listener)` subscribes (each subscription its own
 * identity, so a test can count what is still subscribed); any other call is recorded in `calls` and
 * answers `{ ok: true, value }` from `answers['domain.name']` (a structured clone, as IPC gives), or a
 * `not-connected` error when there is no answer. Tests change `answers` between steps and `emit` events.
 */
export function installFakeApi(answers: Record<string, unknown>) {
  const listeners = new Map<string, Set<Listener>>();
  const calls: string[] = [];
  const domain = (name: string) =>
    new Proxy(
      {},
      {
        get: (_t, method: string) => {
          const key = `${name}.${method}`;
          if (/^on[A-Z]/.test(method))
            return (listener: Listener) => {
              const set = listeners.get(key) ?? new Set();
              listeners.set(key, set);
              const own: Listener = (p) => listener(p);
              set.add(own);
              return () => set.delete(own);
            };
          return async () => {
            calls.push(key);
            const value = answers[key];
            return value === undefined
              ? { ok: false, error: { code: 'not-connected', message: 'no router' } }
              : { ok: true, value: structuredClone(value) };
          };
        },
      },
    );
  (window as unknown as { api: PortPilotApi }).api = new Proxy(
    {},
    { get: (_t, name: string) => domain(name) },
  ) as PortPilotApi;
  const emit = (key: string, payload: unknown): void => listeners.get(key)?.forEach((l) => l(payload));
  /** How many subscriptions are still live (a store or screen that forgot to unsubscribe keeps some). */
  const live = (): number => [...listeners.values()].reduce((n, set) => n + set.size, 0);
  return { listeners, calls, emit, live };
}
