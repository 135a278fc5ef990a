import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref, watchEffect } from 'vue';
import { themeTone } from '../composables/tone';

export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
/** This renderer's own preference, so it is in place before anything reaches main (no flash of the wrong theme). */
export const THEME_KEY = 'portpilot.theme';

function stored(): ThemeChoice {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return THEME_CHOICES.includes(value as ThemeChoice) ? (value as ThemeChoice) : 'system';
  } catch {
    return 'system'; // storage blocked (a privacy setting): the system's choice, every time
  }
}

/**
 * Light or dark: the user's choice in Settings, or the operating system's (`prefers-color-scheme`, followed
 * live). App.vue gives `dark` to Naive UI's theme provider; the document's `color-scheme` follows it too, so
 * scroll bars and native controls match.
 */
export const useThemeStore = defineStore('theme', () => {
  const choice = ref<ThemeChoice>(stored());
  const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
  const systemDark = ref(query?.matches ?? false);
  const follow = (e: MediaQueryListEvent) => (systemDark.value = e.matches);
  query?.addEventListener('change', follow);
  onScopeDispose(() => query?.removeEventListener('change', follow));

  const dark = computed(() => (choice.value === 'system' ? systemDark.value : choice.value === 'dark'));
  watchEffect(() => {
    document.documentElement.style.colorScheme = dark.value ? 'dark' : 'light';
    document.documentElement.dataset['theme'] = dark.value ? 'dark' : 'light';
    // Secondary text everywhere (style.css `.muted`, notes): the tested readable grey of this theme.
    document.documentElement.style.setProperty('--pp-muted', themeTone(dark.value).muted);
  });

  function choose(next: ThemeChoice): void {
    choice.value = next;
    try {
      localStorage.setItem(THEME_KEY, next);
    } catch {
      // not kept across restarts; still applied now
    }
  }

  return { choice, dark, choose };
});
