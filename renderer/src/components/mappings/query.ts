import { inject, ref, shallowRef, type InjectionKey, type Ref, type ShallowRef } from 'vue';
import type { MappingStatus } from '../../../../shared/domains/mappings';
import type { Row } from '../../stores/mappings';

/**
 * The Mappings filter, shared by the search box, the status chips, the count, the export and the
 * table through provide/inject rather than props: a keystroke then re-renders only those, not the
 * whole screen around them. The table owns sorting and filtering and publishes the rows it shows.
 */
export interface MappingsFilter {
  /** The search text as typed. */
  query: Ref<string>;
  /** Only rows of this status (a chip), or all. */
  status: Ref<MappingStatus | null>;
  /** The rows the table shows, sorted as on screen (before grouping). */
  shown: ShallowRef<readonly Row[]>;
}

export const MAPPINGS_FILTER: InjectionKey<MappingsFilter> = Symbol('mappings-filter');

export function createMappingsFilter(): MappingsFilter {
  return { query: ref(''), status: ref(null), shown: shallowRef([]) };
}

export const useMappingsFilter = (): MappingsFilter => inject(MAPPINGS_FILTER, createMappingsFilter, true);

/** Whether anything narrows the rows down. */
export const isFiltered = (f: MappingsFilter): boolean => f.query.value.trim() !== '' || f.status.value !== null;
