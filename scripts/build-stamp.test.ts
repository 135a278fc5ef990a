import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearStamp, inputsDigest, OUTPUTS, staleReason, writeStamp } from './build-stamp.mjs';

let root: string;
const put = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
};

/** A checkout whose out/ was built from its current sources. */
function built(): void {
  put('electron/main/index.ts', 'export {}');
  put('renderer/src/App.vue', '<template />');
  put('package.json', '{}');
  for (const f of OUTPUTS) put(f, '');
  writeStamp(root, inputsDigest(root));
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'pp-stamp-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('build stamp', () => {
  it('finds nothing to do right after a build', () => {
    built();
    expect(staleReason(root)).toBeNull();
  });

  it('builds when a source, a new file or the lockfile changed', () => {
    built();
    put('electron/main/index.ts', 'export const x = 1');
    expect(staleReason(root)).toBe('a source file changed');
    built();
    put('shared/domains/new.ts', 'export {}');
    expect(staleReason(root)).toBe('a source file changed');
    built();
    put('package-lock.json', '{"lockfileVersion":3}');
    expect(staleReason(root)).toBe('a source file changed');
  });

  it('ignores tests and notes beside the code', () => {
    built();
    put('electron/main/index.test.ts', 'it()');
    put('electron/main/README.md', '# notes');
    expect(staleReason(root)).toBeNull();
  });

  it('builds when an output is gone or the stamp was voided by another build', () => {
    built();
    rmSync(path.join(root, 'out/main/web.js'));
    expect(staleReason(root)).toBe('out/main/web.js is missing');
    built();
    clearStamp(root);
    expect(staleReason(root)).toBe('no record of the last build');
  });

  it('does not depend on modification times: the same bytes rewritten are still current', () => {
    built();
    put('electron/main/index.ts', 'export {}');
    expect(staleReason(root)).toBeNull();
  });
});
