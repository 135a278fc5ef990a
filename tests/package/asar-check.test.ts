import { describe, expect, it } from 'vitest';
import { bareImports, checkPackagedApp, MAX_ASAR_BYTES, PATCHED_FILE, type PackagedApp } from './asar-check';

/** A package as it should be; each test breaks one thing. */
function goodApp(over: Partial<PackagedApp> = {}, extra: Record<string, string> = {}): PackagedApp {
  const contents: Record<string, string> = {
    '/package.json': '{}',
    '/out/main/index.js': 'import { app } from "electron";\nimport "./chunks/services.js";',
    '/out/main/chunks/services.js': 'import { RouterOSAPI } from "node-routeros";\nimport fs from "node:fs";',
    '/out/main/web.js': 'import { WebSocketServer } from "ws";\nimport path from "path";',
    '/out/preload/index.cjs': 'const electron = require("electron");',
    '/out/renderer/index.html': '<html></html>',
    '/node_modules/node-routeros/package.json': '{}',
    [PATCHED_FILE]: '// PortPilot patch (a): !empty',
    '/node_modules/ws/package.json': '{}',
    ...extra,
  };
  return {
    files: new Map(Object.entries(contents).map(([k, v]) => [k, v.length])),
    asarBytes: 1000,
    read: (f) => contents[f] ?? '',
    dependencies: ['node-routeros', 'ws'],
    lock: new Map([
      ['node_modules/node-routeros', {}],
      ['node_modules/ws', {}],
      ['node_modules/left-pad', { dev: true }],
    ]),
    ...over,
  };
}

describe('checkPackagedApp', () => {
  it('accepts a package that holds what the app needs and nothing else', () => {
    expect(checkPackagedApp(goodApp())).toEqual([]);
  });

  it('names a missing process bundle', () => {
    const app = goodApp();
    const files = new Map(app.files);
    files.delete('/out/preload/index.cjs');
    expect(checkPackagedApp({ ...app, files })).toEqual(['/out/preload/index.cjs is missing from app.asar']);
  });

  it('refuses node-routeros as published, without our patch', () => {
    const problems = checkPackagedApp(goodApp({}, { [PATCHED_FILE]: 'class Channel {}' }));
    expect(problems).toEqual([expect.stringContaining('without patches/')]);
  });

  it('refuses a renderer library or a dev-only package, even nested', () => {
    const problems = checkPackagedApp(
      goodApp(
        {},
        {
          '/node_modules/vue/package.json': '{}',
          '/node_modules/ws/node_modules/@babel/parser/package.json': '{}',
          '/node_modules/left-pad/package.json': '{}',
        },
      ),
    );
    expect(problems).toEqual([
      expect.stringContaining('node_modules/vue is packaged'),
      expect.stringContaining('node_modules/ws/node_modules/@babel/parser is packaged'),
      expect.stringContaining('node_modules/left-pad is packaged'),
    ]);
  });

  it('finds a run-time import that the package does not hold', () => {
    const problems = checkPackagedApp(goodApp({}, { '/out/main/web.js': 'import { z } from "zod";' }));
    expect(problems).toEqual([expect.stringContaining('imports "zod"')]);
  });

  it('refuses an app.asar over 25 MB', () => {
    expect(checkPackagedApp(goodApp({ asarBytes: MAX_ASAR_BYTES + 1 }))).toEqual([
      expect.stringContaining('over the 25 MB limit'),
    ]);
  });
});

describe('bareImports', () => {
  it('finds packages in ESM and CommonJS output, and skips builtins and relative paths', () => {
    const src = [
      'import a from "fast-xml-parser";',
      "import { b } from '@peculiar/x509/lib';",
      'const c = await import("selfsigned");',
      'readFile(require.resolve("oui-data"), "utf8");',
      'const d = require("node-routeros");',
      'import e from "node:net"; import f from "fs"; import g from "./chunk.js";',
    ].join('\n');
    expect(bareImports(src)).toEqual(['@peculiar/x509', 'fast-xml-parser', 'node-routeros', 'oui-data', 'selfsigned']);
  });
});
