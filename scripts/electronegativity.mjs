// Runs @doyensec/electronegativity over the Electron sources (main, preload, the renderer's HTML with its
// CSP) and fails on any HIGH finding. It is part of `npm run lint`.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(path.join(tmpdir(), 'pp-eneg-'));
try {
  cpSync(path.join(root, 'electron/main'), path.join(work, 'main'), {
    recursive: true,
    filter: (f) => !f.endsWith('.test.ts'),
  });
  cpSync(path.join(root, 'electron/preload'), path.join(work, 'preload'), { recursive: true });
  cpSync(path.join(root, 'renderer/index.html'), path.join(work, 'index.html'));
  const report = path.join(work, 'report.csv');
  const bin = path.join(root, 'node_modules/.bin/electronegativity');
  execFileSync(bin, ['-i', work, '-r', '-o', report, '-e', '45.0.0'], { stdio: 'pipe' });
  // A finding starts a line with its check id; samples may span several lines.
  const rows = readFileSync(report, 'utf8').match(/^[A-Z_]+_CHECK,"[A-Z]+".*$/gm) ?? [];
  const high = rows.filter((row) => /^[A-Z_]+_CHECK,"HIGH"/.test(row));
  for (const row of rows) console.log(`electronegativity: ${row.slice(0, 160)}`);
  if (high.length > 0) {
    console.error(`electronegativity: ${high.length} HIGH finding(s) — fix them before landing.`);
    process.exit(1);
  }
  console.log(`electronegativity: ${rows.length} finding(s), none HIGH.`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
