// Renders build/icon.svg to the PNG icons packaging and the app use (build/icon.png 1024 px,
// resources/icon.png 256 px, tray icons). Uses Debian's Chromium through playwright-core:
// `node scripts/render-icons.mjs`. The PNGs are committed; run this only after changing the SVG.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const svg = readFileSync('build/icon.svg', 'utf8');
const targets = [
  ['build/icon.png', 1024],
  ['resources/icon.png', 256],
  ['resources/tray.png', 32],
  ['resources/tray@2x.png', 64],
];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const [file, size] of targets) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
    );
    await page.screenshot({ path: file, omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
