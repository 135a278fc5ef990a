import type { GlobalThemeOverrides } from 'naive-ui';

/*
 * Colours that keep text readable at WCAG AA (4.5:1 for normal text, issue 13: axe `color-contrast`).
 * Naive UI's light theme draws white text on #18a058 (3.4:1) and #f0a020 (2.1:1), and its secondary and
 * "waiting" greys (#c2c2c2 on white, 1.8:1) are lighter still; the dark theme only needs the greys.
 * Disabled controls keep Naive's own grey (WCAG exempts inactive controls); steps still to come and the
 * empty-list text are not disabled, so they get the readable secondary grey.
 */
const LIGHT = {
  secondary: 'rgb(98, 98, 104)',
  primary: { base: '#0e7a43', hover: '#10874a', pressed: '#0b6236' },
  info: { base: '#1f5fbf', hover: '#2b6fd6', pressed: '#1a4f9e' },
  warning: { base: '#a85a05', hover: '#b8660a', pressed: '#8f4d04' },
};
const DARK = { secondary: 'rgba(255, 255, 255, 0.62)' };

const palette = (
  name: 'primary' | 'info' | 'warning' | 'success',
  c: { base: string; hover: string; pressed: string },
) => ({
  [`${name}Color`]: c.base,
  [`${name}ColorHover`]: c.hover,
  [`${name}ColorPressed`]: c.pressed,
  [`${name}ColorSuppl`]: c.hover,
});

function readableGreys(secondary: string): GlobalThemeOverrides {
  return {
    common: { textColor3: secondary, placeholderColor: secondary },
    Steps: {
      headerTextColorWait: secondary,
      headerTextColorFinish: secondary,
      descriptionTextColorWait: secondary,
      descriptionTextColorFinish: secondary,
      indicatorTextColorWait: secondary,
      indicatorBorderColorWait: secondary,
    },
    Empty: { textColor: secondary },
  };
}

export function themeOverrides(dark: boolean): GlobalThemeOverrides {
  if (dark) return readableGreys(DARK.secondary);
  const greys = readableGreys(LIGHT.secondary);
  return {
    ...greys,
    common: {
      ...greys.common,
      ...palette('primary', LIGHT.primary),
      ...palette('success', LIGHT.primary),
      ...palette('info', LIGHT.info),
      ...palette('warning', LIGHT.warning),
    },
  };
}
