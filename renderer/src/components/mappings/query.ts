import { inject, ref, type InjectionKey, type Ref } from 'vue';

/**
 * The Mappings search text, shared by the search box and the table through provide/inject rather
 * than props: a keystroke then re-renders only those two, not the whole screen around them.
 */
export const MAPPINGS_QUERY: InjectionKey<Ref<string>> = Symbol('mappings-query');

export const useMappingsQuery = (): Ref<string> => inject(MAPPINGS_QUERY, () => ref(''), true);
