// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { NCard } from 'naive-ui';
import { describe, expect, it } from 'vitest';
import { h } from 'vue';

/*
 * patches/naive-ui+2.45.3.patch: Naive UI's card header was a role="heading" inside another one, neither
 * with aria-level (axe `aria-required-attr`, serious; issue 13). Without the patch this test fails.
 */
describe('Naive UI card titles (patched)', () => {
  it('are one heading of level 2, with the header-extra buttons outside it', () => {
    const w = mount(() =>
      h(NCard, { title: 'Your routers' }, { 'header-extra': () => h('button', 'Add router'), default: () => 'x' }),
    );
    const headings = w.findAll('[role="heading"]');
    expect(headings).toHaveLength(1);
    expect(headings[0]!.attributes('aria-level')).toBe('2');
    expect(headings[0]!.text()).toBe('Your routers');
    expect(headings[0]!.find('button').exists()).toBe(false);
  });
});
