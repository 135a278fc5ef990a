// Renders build/icon.svg to the PNG icons packaging and the app use (build/icon.png 1024 px,
// resources/icon.png 256 px), and build/tray.svg to the tray icons: a macOS template image (black +
// alpha, named *Template so the menu bar tints it) and monochrome white / black glyphs for dark and
// light Windows and Linux panels, each at 16 px and @2x 32 px. Uses Debian's Chromium through
// playwright-core: `node scripts/render-icons.mjs`. The PNGs are committed; run this only after
// changing an SVG.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const icon = readFileSync('build/icon.svg', 'utf8');
const tray = readFileSync('build/tray.svg', 'utf8');
const targets = [
  ['build/icon.png', icon, 1024, null],
  ['resources/icon.png', icon, 256, null],
  ...['trayTemplate', 'tray-black', 'tray-white'].flatMap((name) => {
    const color = name === 'tray-white' ? '#ffffff' : '#000000';
    return [
      [`resources/${name}.png`, tray, 16, color],
      [`resources/${name}@2x.png`, tray, 32, color],
    ];
  }),
];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const [file, svg, size, color] of targets) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const style = `margin:0;background:transparent${color ? `;color:${color}` : ''}`;
    await page.setContent(
      `<html><body style="${style}">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
    );
    await page.screenshot({ path: file, omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
