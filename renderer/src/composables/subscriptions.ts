import { onScopeDispose } from 'vue';

/** What a store or composable started and must stop again. */
export interface Subscriptions {
  /** Keeps an unsubscribe function (what every `api.x.onY(listener)` returns) until the scope ends. */
  keep(unsubscribe: () => void): void;
  /** `setInterval`, cleared when the scope ends. */
  every(ms: number, tick: () => void): void;
  /** `setTimeout`, cleared when the scope ends; returns a cancel function. */
  after(ms: number, fire: () => void): () => void;
}

/**
 * Collects a setup store's (or composable's) event subscriptions, intervals and timers and releases
 * them all when its effect scope ends: `store.$dispose()`, `disposePinia()`, or the component that
 * owns the composable unmounting (STYLE.md: release what you subscribe to, with `onScopeDispose`).
 * Call it synchronously in the setup function. Anything started after the end (an answer that arrives
 * late and schedules a timer) is released at once instead of leaking.
 */
export function useSubscriptions(): Subscriptions {
  const releases = new Set<() => void>();
  let ended = false;

  function keep(release: () => void): () => void {
    if (ended) {
      release();
      return () => undefined;
    }
    const once = (): void => {
      if (releases.delete(once)) release();
    };
    releases.add(once);
    return once;
  }

  onScopeDispose(() => {
    ended = true;
    for (const release of [...releases]) release();
  });

  return {
    keep: (unsubscribe) => void keep(unsubscribe),
    every(ms, tick) {
      if (ended) return;
      const id = setInterval(tick, ms);
      keep(() => clearInterval(id));
    },
    after(ms, fire) {
      if (ended) return () => undefined;
      const id = setTimeout(() => {
        cancel();
        fire();
      }, ms);
      const cancel = keep(() => clearTimeout(id));
      return cancel;
    },
  };
}
