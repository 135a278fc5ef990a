// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { NMessageProvider } from 'naive-ui';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import { createMemoryHistory, createRouter, RouterView } from 'vue-router';
import type { MappingView } from '../../../shared/domains/mappings';
import type { SessionState } from '../../../shared/domains/router';
import CleanupDialog from '../components/mappings/CleanupDialog.vue';
import { useMappingsStore } from '../stores/mappings';
import MappingsView from './MappingsView.vue';
import { installFakeApi } from '../test-support/fake-api';
import { mappingView } from '../../../shared/testing/mapping-view';

/*
 * The Mappings screen's words about itself (issue 13): the count says what is shown of how many and
 * whether it is live — never "live" while the router is unreachable, when cleanup cannot run either;
 * a filter that matches nothing says so and offers to clear it. window.api is faked.
 */
const row = (port: number, status: MappingView['status']): MappingView =>
  mappingView(port, {
    internalAddress: '192.168.88.20',
    description: `app ${port}`,
    owner: { hostName: 'ps5' },
    status,
  });
const ref = { profileId: 'demo', host: '127.0.0.1', port: 8728, transport: 'api', label: 'demo', demo: null };
const connected = {
  kind: 'connected',
  router: ref,
  capabilities: { menus: { upnpPermissions: false, upnpMappings: false, natPmp: true } },
} as unknown as SessionState;
const reconnecting = { kind: 'reconnecting', router: ref, attempt: 2, inMs: 2000, reason: 'timed out' };
const answers: Record<string, unknown> = {
  'mappings.snapshot': {
    mappings: [row(80, 'active'), row(81, 'stale'), row(82, 'stale'), row(3074, 'idle')],
    seq: 0,
    status: { phase: 'live', message: null, count: 4 },
    at: 0,
  },
  'mappings.history': { points: [], events: [] },
};
const { listeners, emit } = installFakeApi(answers);
const g = globalThis as unknown as Record<string, unknown>;
g['requestIdleCallback'] ??= (fn: () => void) => setTimeout(fn, 0);
g['cancelIdleCallback'] ??= (id: number) => clearTimeout(id);

async function screen(state: unknown) {
  answers['router.state'] = state;
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: MappingsView }] });
  await router.push('/');
  const Root = defineComponent(() => () => h(NMessageProvider, () => h(RouterView)));
  const wrapper = mount(Root, { global: { plugins: [router] }, attachTo: document.body });
  await flushPromises();
  const text = (id: string) => wrapper.find(`[data-testid="${id}"]`).text();
  const cleanup = () => wrapper.find('[data-testid="cleanup-open"]');
  return { wrapper, text, cleanup };
}

describe('Mappings screen', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    listeners.clear();
    document.body.innerHTML = '';
  });

  it('says "live" and offers the cleanup only while the router answers', async () => {
    const { wrapper, text, cleanup } = await screen(connected);
    await vi.waitFor(() => expect(text('mappings-count')).toBe('4 mappings · live'));
    expect(cleanup().text()).toBe('Clean up 2 stale mappings');
    expect(cleanup().attributes('disabled')).toBeUndefined();

    emit('router.onState', reconnecting);
    await nextTick();
    expect(text('mappings-count')).toBe('4 mappings · router unreachable — as last seen');
    expect(text('mappings-count')).not.toMatch(/live/);
    expect(cleanup().attributes('disabled')).toBeDefined();
    expect(cleanup().text()).toBe('Clean up stale mappings');
    expect(text('mappings-unreachable')).toContain('timed out');

    emit('router.onState', { kind: 'disconnected', router: ref, reason: 'closed' });
    await nextTick();
    expect(text('mappings-count')).toBe('4 mappings · not connected — as last seen');
    wrapper.unmount();
  });

  it('a filter: "N of M", a status chip, and a search that matches nothing says so with a way out', async () => {
    const { wrapper, text } = await screen(connected);
    await vi.waitFor(() => expect(text('mappings-count')).toBe('4 mappings · live'));
    await wrapper.find('[data-testid="status-chips"] [data-status="stale"]').trigger('click');
    await nextTick();
    expect(text('mappings-count')).toBe('2 of 4 mappings · live');
    expect(wrapper.findAll('tbody tr[data-row-id]').map((r) => r.attributes('data-row-id'))).toEqual([
      'tcp/81',
      'tcp/82',
    ]);
    expect(text('mappings-export')).toBe('Export 2 as CSV');

    const input = wrapper.find('[data-testid="mappings-search"] input');
    await input.setValue('3074');
    await flushPromises();
    expect(text('mappings-count')).toBe('0 of 4 mappings · live');
    expect(text('mappings-empty')).toContain('No mapping matches “3074” among the stale mappings.');
    await wrapper.find('[data-testid="mappings-clear-filter"]').trigger('click');
    await flushPromises();
    expect(text('mappings-count')).toBe('4 mappings · live');
    expect((input.element as HTMLInputElement).value).toBe('');
    expect(wrapper.findAll('tbody tr[data-row-id]')).toHaveLength(4);
    wrapper.unmount();
  });

  it('opened while not connected, the cleanup dialog says so instead of "No stale mappings"', async () => {
    const Dialog = defineComponent(
      () => () => h(NMessageProvider, () => h(CleanupDialog, { show: true, 'onUpdate:show': () => undefined })),
    );
    const wrapper = mount(Dialog, { attachTo: document.body });
    await useMappingsStore().openPreview();
    await flushPromises();
    const dialog = document.querySelector('[data-testid="cleanup-dialog"]')?.textContent ?? '';
    expect(dialog).toContain('Not connected to the router: PortPilot cannot tell which mappings are stale');
    expect(dialog).not.toContain('No stale mappings right now');
    wrapper.unmount();
  });
});
