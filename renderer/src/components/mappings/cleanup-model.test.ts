import { describe, expect, it } from 'vitest';
import type { CleanupCandidate, CleanupPlan, CleanupSummary, MappingView } from '../../../../shared/domains/mappings';
import { confirmLabel, groupByDevice, groupLines, summaryLine } from './cleanup-model';

const cand = (id: string, address: string, hostName: string | null, detail = 'left'): CleanupCandidate => ({
  mapping: { id, internalAddress: address, owner: { hostName } } as MappingView,
  reasons: [{ code: 'owner-gone', detail }],
});

const plan = (over: Partial<CleanupPlan>): CleanupPlan => ({
  strategy: 'flush-and-restore',
  tryFirst: [],
  sentences: [],
  selected: 4,
  drops: 14,
  restore: 10,
  lose: [],
  loseCount: 0,
  needsAcceptLoss: false,
  leftToExpire: 0,
  natPmpUntouched: [],
  learned: { dynamicRemove: 'refused', foreignDelete: 'refused', foreignAdd: 'allowed' },
  igd: true,
  ...over,
});

describe('cleanup dialog model', () => {
  it('groups candidates by device, largest first, with their distinct reasons', () => {
    const groups = groupByDevice([
      cand('tcp/1', '192.168.88.52', 'PS4'),
      cand('tcp/2', '192.168.88.50', 'old-laptop'),
      cand('udp/2', '192.168.88.50', 'old-laptop', 'idle'),
      cand('tcp/3', '10.0.0.5', null),
    ]);
    expect(groups.map((g) => [g.label, g.ids])).toEqual([
      ['old-laptop (192.168.88.50)', ['tcp/2', 'udp/2']],
      ['10.0.0.5', ['tcp/3']],
      ['PS4 (192.168.88.52)', ['tcp/1']],
    ]);
    expect(groups[0]?.reasons).toEqual(['left', 'idle']);
  });

  it('the confirm button says what the plan does', () => {
    expect(confirmLabel(plan({ strategy: 'api-remove' }), 4)).toBe('Remove 4 mappings');
    expect(confirmLabel(plan({}), 4)).toBe('Restart UPnP and restore 10');
    expect(confirmLabel(plan({ restore: 0, loseCount: 10 }), 4)).toBe('Restart UPnP: 10 not restored');
    expect(confirmLabel(plan({ tryFirst: ['api-remove'] }), 1)).toBe(
      'Remove 1 mapping (restart UPnP if refused) and restore 10',
    );
    expect(confirmLabel(plan({ strategy: 'none' }), 1)).toBe('Nothing this router lets PortPilot remove');
    expect(confirmLabel(plan({}), 0)).toBe('Nothing selected');
  });

  it('the summary line and the lines of a group', () => {
    const s = {
      removed: 4,
      restored: 10,
      back: 0,
      notRestored: 2,
      skipped: 0,
      failed: 0,
      targets: [{ id: 'udp/9307', internalAddress: '192.168.88.52', hostName: 'PS4', description: 'Remote Play' }],
      kept: [],
    } as unknown as CleanupSummary;
    expect(summaryLine(s)).toBe('removed 4 · restored 10 · not restored 2');
    const g = { outcome: 'removed' as const, reason: 'x', count: 2, ids: ['udp/9307', 'tcp/1'], action: null };
    expect(groupLines(g, s)).toEqual(['UDP 9307 → PS4 (192.168.88.52) “Remote Play”', 'TCP 1']);
    expect(groupLines({ ...g, ids: ['a', 'b', 'c'] }, s, 2)).toEqual(['a', 'b', '… and 1 more']);
  });
});
