// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { NPopover } from 'naive-ui';
import { describe, expect, it } from 'vitest';
import { defineComponent } from 'vue';
import { GLOSSARY, type TermName } from './glossary';
import Term from './Term.vue';

const shown = (w: ReturnType<typeof mount>) => w.findComponent(NPopover).props('show');

describe('Term', () => {
  it('writes the word from the glossary and describes it for screen readers without hovering', () => {
    const w = mount(Term, { props: { name: 'double-nat' }, attachTo: document.body });
    const button = w.get('button');
    expect(button.text()).toBe('double NAT');
    const described = document.getElementById(button.attributes('aria-describedby')!);
    expect(described?.textContent).toBe(GLOSSARY['double-nat'].meaning);
    expect(shown(w)).toBe(false);
    w.unmount();
  });

  it('its explanation is not part of the surrounding sentence’s text', () => {
    const w = mount(
      defineComponent({
        components: { Term },
        template: '<p>There is <Term name="double-nat" /> here.</p>',
      }),
      { attachTo: document.body },
    );
    expect(w.get('p').text()).toBe('There is double NAT here.');
    w.unmount();
  });

  it('keeps the caller’s own words for the term', () => {
    const w = mount(Term, { props: { name: 'upnp' }, slots: { default: 'Universal Plug and Play' } });
    expect(w.get('button').text()).toBe('Universal Plug and Play');
  });

  it('shows the explanation on focus and on hover, and Escape hides it (WCAG 1.4.13)', async () => {
    const w = mount(Term, { props: { name: 'upnp' } });
    const button = w.get('button');
    await button.trigger('focus');
    expect(shown(w)).toBe(true);
    await button.trigger('keydown', { key: 'Escape' });
    expect(shown(w)).toBe(false);
    await button.trigger('blur');
    await button.trigger('mouseenter');
    expect(shown(w)).toBe(true);
    await button.trigger('mouseleave');
    expect(shown(w)).toBe(false);
  });

  it('a click (a tap on a touch screen) toggles it', async () => {
    const w = mount(Term, { props: { name: 'igd' } });
    await w.get('button').trigger('click');
    expect(shown(w)).toBe(true);
    await w.get('button').trigger('click');
    expect(shown(w)).toBe(false);
  });
});

describe('glossary', () => {
  it('explains every term in whole sentences', () => {
    for (const name of Object.keys(GLOSSARY) as TermName[]) {
      const { label, meaning } = GLOSSARY[name];
      expect(label.length, name).toBeGreaterThan(1);
      expect(meaning, name).toMatch(/^[A-Z].{20,}\.$/);
      expect(meaning, name).not.toMatch(/the guide/i);
    }
  });
});
