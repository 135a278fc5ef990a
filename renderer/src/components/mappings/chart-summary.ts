import type { HistoryPoint } from '../../../../shared/domains/mappings';
import { formatDuration } from '../../composables/format';

/**
 * The open-mappings chart in words, for people who cannot see it: over how long, the first and the
 * last value, the lowest and the highest. `points` are in time order; the last one is "now".
 */
export function chartSummary(points: readonly HistoryPoint[], live: boolean): string {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return 'No mapping counts recorded yet.';
  const now = live ? 'now' : 'when last seen';
  if (points.length === 1 || last.at - first.at < 1000) return `${last.open} open mappings ${now}.`;
  const values = points.map((p) => p.open);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = formatDuration((last.at - first.at) / 1000);
  const range = low === high ? `steady at ${low}` : `between ${low} and ${high}`;
  return `Open mappings over the last ${span}: ${first.open} at the start, ${last.open} ${now}, ${range}.`;
}
