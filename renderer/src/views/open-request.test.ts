// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { NMessageProvider } from 'naive-ui';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter, RouterView } from 'vue-router';
import type { NoticePayload } from '../../../shared/domains/alerts';
import type { MappingView } from '../../../shared/domains/mappings';
import AlertCenter from '../components/alerts/AlertCenter.vue';
import MappingsView from './MappingsView.vue';
import { installFakeApi } from '../test-support/fake-api';
import { mappingView } from '../../../shared/testing/mapping-view';

/*
 * "Click → that row" in the renderer (issue 16): main (a desktop notification, the tray) or a toast
 * asks for a row or the cleanup preview; the router carries it to the Mappings screen, which shows
 * the row, or opens the preview for the user to confirm. window.api is faked; events are emitted by hand.
 */
const row = (port: number, address = '192.168.88.20'): MappingView =>
  mappingView(port, {
    internalAddress: address,
    owner: { hostName: 'alex-laptop' },
    status: port === 81 ? 'stale' : 'active',
  });
const answers: Record<string, unknown> = {
  'mappings.snapshot': {
    mappings: Array.from({ length: 300 }, (_, i) => row(80 + i, i === 250 ? '192.168.88.99' : '192.168.88.20')),
    seq: 0,
    status: { phase: 'live', message: null, count: 300 },
    at: 0,
  },
  'mappings.history': { points: [], events: [] },
  'mappings.previewCleanup': { previewId: 'p1', createdAt: 0, candidates: [] },
  // Connected: the screen answers an open request only while the list is live (issue 13).
  'router.state': {
    kind: 'connected',
    router: { profileId: 'demo', host: '127.0.0.1', port: 8728, transport: 'api', label: 'demo', demo: null },
    capabilities: { menus: { upnpPermissions: false, upnpMappings: false, natPmp: true } },
  },
  'router.listProfiles': [],
};
const { listeners, calls, emit } = installFakeApi(answers);
// Chromium has these; happy-dom does not.
const g = globalThis as unknown as Record<string, unknown>;
g['requestIdleCallback'] ??= (fn: () => void) => setTimeout(fn, 0);
g['cancelIdleCallback'] ??= (id: number) => clearTimeout(id);

async function app(at: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { render: () => null } },
      { path: '/mappings', component: MappingsView },
    ],
  });
  await router.push(at);
  const Root = defineComponent(() => () => h(NMessageProvider, () => [h(AlertCenter), h(RouterView)]));
  const wrapper = mount(Root, { global: { plugins: [router] }, attachTo: document.body });
  await flushPromises();
  const focusedRow = () => vi.waitFor(() => expect(wrapper.find('tr.row-focus').exists()).toBe(true));
  return { router, wrapper, focusedRow };
}

describe('open requests and alert clicks (renderer, api faked)', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    listeners.clear();
    calls.length = 0;
    document.body.innerHTML = '';
  });

  it('a window opened on a row (the hash main loads) scrolls to it, marks it and filters to the device', async () => {
    const { router, wrapper, focusedRow } = await app('/mappings?open=tcp%2F330&filter=192.168.88.99');
    await focusedRow();
    expect(router.currentRoute.value.query).toEqual({});
    const focused = wrapper.find('tr.row-focus');
    expect(focused.exists()).toBe(true);
    expect(focused.attributes('data-row-id')).toBe('tcp/330');
    expect(focused.attributes('aria-current')).toBe('true');
    expect((wrapper.find('[data-testid="mappings-search"] input').element as HTMLInputElement).value).toBe(
      '192.168.88.99',
    );
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Actions for TCP 330 (alex-laptop)');
    wrapper.unmount();
  });

  it('main asks an open window for a row (app open event): the router goes there', async () => {
    const { router, wrapper, focusedRow } = await app('/');
    emit('app.onOpen', { kind: 'mapping', mappingId: 'tcp/81', filter: null });
    await focusedRow();
    expect(router.currentRoute.value.path).toBe('/mappings');
    expect(wrapper.find('tr.row-focus').attributes('data-row-id')).toBe('tcp/81');
    wrapper.unmount();
  });

  it('the tray’s "Clean up N stale…" opens the preview and nothing else', async () => {
    const { wrapper } = await app('/mappings?cleanup=1');
    await vi.waitFor(() => expect(calls).toContain('mappings.previewCleanup'));
    expect(calls).not.toContain('mappings.runCleanup');
    wrapper.unmount();
  });

  it('an alert shows as a toast on any screen; its Show button opens the row', async () => {
    const { router, wrapper, focusedRow } = await app('/');
    const notice: NoticePayload = {
      kind: 'new-host',
      reasons: ['new-host'],
      mappingId: 'tcp/90',
      mappingIds: ['tcp/90', 'tcp/91'],
      count: 2,
      device: { label: 'alex-laptop', address: '192.168.88.20' },
      title: '2 new mappings from alex-laptop',
      message: 'TCP 90, TCP 91: a device never seen on this router before.',
    };
    emit('mappings.onNotice', notice);
    await flushPromises();
    expect(document.body.textContent).toContain('2 new mappings from alex-laptop');
    const show = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Show')!;
    show.click();
    await focusedRow();
    expect(router.currentRoute.value.path).toBe('/mappings');
    expect(wrapper.find('tr.row-focus').attributes('data-row-id')).toBe('tcp/90');
    wrapper.unmount();
  });
});
