import { useThemeVars } from 'naive-ui';
import { computed, type ComputedRef } from 'vue';

/**
 * Text colours that keep WCAG AA contrast (4.5:1, axe `color-contrast`) on the theme's table and card
 * backgrounds — Naive UI's own success/error colours and `textColor3` fall below it on white — picked
 * by the theme in use (light or dark, whichever the app shows), not by the operating system.
 */
export interface Tone {
  dark: boolean;
  muted: string;
  good: string;
  bad: string;
}

const LIGHT: Omit<Tone, 'dark'> = { muted: '#5c6066', good: '#0c7a43', bad: '#b81d3b' };
const DARK: Omit<Tone, 'dark'> = { muted: '#a6a9ae', good: '#63e2b7', bad: '#f2849a' };

/** The tone of the app's light or dark theme (the theme store puts `muted` in the CSS as --pp-muted). */
export const themeTone = (dark: boolean): Omit<Tone, 'dark'> => (dark ? DARK : LIGHT);

/** Relative luminance (WCAG 2.x) of `#rgb`, `#rrggbb` or `rgb(a)(r, g, b…)`; null when unreadable. */
export function luminance(css: string): number | null {
  let rgb: number[] | null = null;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css.trim());
  if (hex?.[1]) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
    rgb = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
  } else {
    const m = /^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)/i.exec(css.trim());
    if (m) rgb = [m[1], m[2], m[3]].map(Number);
  }
  if (!rgb) return null;
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The tone for a background colour: dark text colours on light backgrounds, light ones on dark. */
export function toneFor(background: string): Tone {
  const dark = (luminance(background) ?? 1) < 0.2;
  return { dark, ...(dark ? DARK : LIGHT) };
}

export function useTone(): ComputedRef<Tone> {
  const theme = useThemeVars();
  return computed(() => toneFor(theme.value.bodyColor));
}
