import { describe, expect, it } from 'vitest';
import type { BrowserWindow } from 'electron';
import type { OpenRequest } from '../../shared/domains/app';
import { WindowKeeper } from './window-keeper';

/** A BrowserWindow that records what was done to it (the Electron runtime is not available). */
class FakeWindow {
  listeners = new Map<string, () => void>();
  destroyed = false;
  shown = 0;
  focused = false;
  visible = false;
  loading = false;
  webContents = { isLoading: () => this.loading };
  once(name: string, fn: () => void) {
    this.listeners.set(name, fn);
  }
  on(name: string, fn: () => void) {
    this.listeners.set(name, fn);
  }
  isDestroyed = () => this.destroyed;
  isMinimized = () => false;
  isVisible = () => this.visible;
  isFocused = () => this.focused;
  restore() {}
  show() {
    this.shown++;
    this.visible = true;
  }
  focus() {
    this.focused = true;
  }
  close() {
    this.destroyed = true;
    this.listeners.get('closed')?.();
  }
}

function keeper() {
  const windows: FakeWindow[] = [];
  const loads: Array<string | null> = [];
  const emitted: OpenRequest[] = [];
  const k = new WindowKeeper({
    create: () => {
      const w = new FakeWindow();
      windows.push(w);
      return w as unknown as BrowserWindow;
    },
    load: (_w, hash) => loads.push(hash),
    emitOpen: (r) => emitted.push(r),
  });
  return { k, windows, loads, emitted };
}

describe('the one window, made on demand', () => {
  it('opens a window on the asked screen, shows it when ready, and forgets it once closed (destroyed)', () => {
    const { k, windows, loads } = keeper();
    expect(k.contents()).toBeNull();
    k.open({ kind: 'mapping', mappingId: 'tcp/80', filter: null });
    expect(loads).toEqual(['/mappings?open=tcp%2F80']);
    windows[0]!.listeners.get('ready-to-show')!();
    expect(windows[0]!.shown).toBe(1);
    windows[0]!.close();
    expect(k.contents()).toBeNull();
    expect(k.focused()).toBe(false);
    k.open();
    expect(windows).toHaveLength(2);
    expect(loads).toEqual(['/mappings?open=tcp%2F80', null]);
  });

  it('an open window is brought up and told where to go (or reloaded there while still loading)', () => {
    const { k, windows, loads, emitted } = keeper();
    k.open();
    windows[0]!.listeners.get('ready-to-show')!();
    k.open({ kind: 'cleanup' });
    expect(windows).toHaveLength(1);
    expect(emitted).toEqual([{ kind: 'cleanup' }]);
    expect(k.focused()).toBe(true);
    windows[0]!.loading = true;
    k.open({ kind: 'password', profileId: 'p1' });
    expect(loads).toEqual([null, '/connect?ask=p1']);
  });
});
