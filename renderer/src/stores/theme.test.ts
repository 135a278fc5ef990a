// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { THEME_KEY, useThemeStore } from './theme';

/** A prefers-color-scheme query the test can flip. */
function fakeSystem(dark: boolean) {
  const listeners = new Set<(e: MediaQueryListEvent) => void>();
  const query = {
    matches: dark,
    addEventListener: (_: string, l: (e: MediaQueryListEvent) => void) => listeners.add(l),
    removeEventListener: (_: string, l: (e: MediaQueryListEvent) => void) => listeners.delete(l),
  };
  vi.stubGlobal('matchMedia', () => query);
  return {
    flip(next: boolean) {
      query.matches = next;
      listeners.forEach((l) => l({ matches: next } as MediaQueryListEvent));
    },
    listeners,
  };
}

describe('theme store', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });
  afterEach(() => vi.unstubAllGlobals());

  it('follows the system by default, live', async () => {
    const system = fakeSystem(false);
    const theme = useThemeStore();
    expect(theme.choice).toBe('system');
    expect(theme.dark).toBe(false);
    system.flip(true);
    expect(theme.dark).toBe(true);
    await nextTick();
    expect(document.documentElement.style.colorScheme).toBe('dark');
    expect(document.documentElement.dataset['theme']).toBe('dark');
  });

  it('a choice wins over the system, is kept across restarts, and the listener goes with the store', () => {
    const system = fakeSystem(true);
    const theme = useThemeStore();
    theme.choose('light');
    expect(theme.dark).toBe(false);
    expect(localStorage.getItem(THEME_KEY)).toBe('light');
    theme.$dispose();
    expect(system.listeners.size).toBe(0);

    setActivePinia(createPinia());
    expect(useThemeStore().choice).toBe('light');
  });

  it('an unknown stored value means "system"', () => {
    fakeSystem(true);
    localStorage.setItem(THEME_KEY, 'purple');
    const theme = useThemeStore();
    expect(theme.choice).toBe('system');
    expect(theme.dark).toBe(true);
  });
});
