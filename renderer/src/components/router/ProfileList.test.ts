// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProfileView } from '../../../../shared/domains/router';
import { installFakeApi } from '../../test-support/fake-api';
import { useRouterStore } from '../../stores/router';
import ProfileList from './ProfileList.vue';

const answers: Record<string, unknown> = {};
installFakeApi(answers);

const lab: ProfileView = {
  id: 'p1',
  name: 'Lab',
  host: '192.168.88.1',
  port: 8729,
  transport: 'api-ssl',
  user: 'admin',
  pinnedFingerprint: null,
  lastUsedAt: null,
  hasSavedPassword: false,
  builtIn: false,
};

describe('ProfileList', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    for (const k of Object.keys(answers)) delete answers[k];
  });

  it('says it is reading until the saved routers are in, and only then "No saved routers yet"', async () => {
    answers['router.listProfiles'] = [];
    const w = mount(ProfileList);
    const card = w.get('[data-testid="profile-list"]');
    expect(card.attributes('aria-busy')).toBe('true');
    expect(w.text()).toContain('Reading your saved routers');
    expect(w.text()).not.toContain('No saved routers yet');

    await useRouterStore().loadProfiles();
    await flushPromises();
    expect(card.attributes('aria-busy')).toBe('false');
    expect(card.attributes('data-loaded')).toBe('true');
    expect(w.text()).toContain('No saved routers yet');
  });

  it('shows the saved routers once read', async () => {
    answers['router.listProfiles'] = [lab];
    const w = mount(ProfileList);
    await useRouterStore().loadProfiles();
    await flushPromises();
    expect(w.find('[data-testid="profile-Lab"]').exists()).toBe(true);
    expect(w.text()).not.toContain('No saved routers yet');
  });

  it('a failed read says why and offers to try again; it is not shown as "no routers"', async () => {
    const w = mount(ProfileList);
    await useRouterStore().loadProfiles(); // no answer: the fake API fails with "no router"
    await flushPromises();
    expect(w.get('[data-testid="profiles-error"]').text()).toContain('could not be read: no router');
    expect(w.text()).not.toContain('No saved routers yet');

    answers['router.listProfiles'] = [lab];
    await w.get('[data-testid="profiles-error"] button').trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="profiles-error"]').exists()).toBe(false);
    expect(w.find('[data-testid="profile-Lab"]').exists()).toBe(true);
  });
});
