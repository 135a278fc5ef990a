import { effectScope } from 'vue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useSubscriptions, type Subscriptions } from './subscriptions';

describe('useSubscriptions', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const inScope = () => {
    const scope = effectScope();
    const life = scope.run(() => useSubscriptions()) as Subscriptions;
    return { scope, life };
  };

  it('releases subscriptions, intervals and pending timers when the scope stops', () => {
    const { scope, life } = inScope();
    const unsubscribe = vi.fn();
    const tick = vi.fn();
    const fire = vi.fn();
    life.keep(unsubscribe);
    life.every(1000, tick);
    life.after(500, fire);
    vi.advanceTimersByTime(1000);
    expect([tick.mock.calls.length, fire.mock.calls.length]).toEqual([1, 1]);
    life.after(500, fire);
    scope.stop();
    expect(unsubscribe).toHaveBeenCalledOnce();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect([tick.mock.calls.length, fire.mock.calls.length]).toEqual([1, 1]);
  });

  it('a cancelled timer never fires and is not released twice', () => {
    const { scope, life } = inScope();
    const fire = vi.fn();
    const cancel = life.after(500, fire);
    cancel();
    cancel();
    expect(vi.getTimerCount()).toBe(0);
    scope.stop();
    vi.advanceTimersByTime(1000);
    expect(fire).not.toHaveBeenCalled();
  });

  it('after the scope ended, a late subscription is released at once and no timer starts', () => {
    const { scope, life } = inScope();
    scope.stop();
    const unsubscribe = vi.fn();
    life.keep(unsubscribe);
    life.every(1000, vi.fn());
    life.after(1000, vi.fn());
    expect(unsubscribe).toHaveBeenCalledOnce();
    expect(vi.getTimerCount()).toBe(0);
  });
});
