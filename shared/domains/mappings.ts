import { z } from 'zod';
import { defineDomain, event, method } from '../contract/define';
import { parseWatchPorts, WATCH_PORTS_HINT, WATCH_PORTS_MAX, type NoticePayload } from './alerts';
import {
  mappingIdSchema,
  planInputSchema,
  previewInputSchema,
  runInputSchema,
  type CleanupPlan,
  type CleanupProgress,
  type CleanupSummary,
} from './mappings-cleanup';
import type { MappingsDelta, MappingsSnapshot, MappingView, MonitorStatus, StaleReason } from './mappings-view';
import { deltaWire, snapshotWire } from './mappings-wire';

export * from './mappings-cleanup';
export * from './mappings-view';
export type { AlertReason, NoticeDevice, NoticePayload } from './alerts';

/*
 * The mappings domain: every UPnP / NAT-PMP mapping live (snapshot + batched deltas), its owner and
 * activity, the stale rules, one-click cleanup (preview → confirm → progress → summary) and row actions.
 * A mapping's id is `<protocol>/<external port>`: RouterOS keeps one dynamic dstnat rule per protocol
 * and external port (routeros-facts.md "Dynamic rule per protocol"), and rule ids change on reboot.
 */

export interface HistoryPoint {
  at: number;
  open: number;
}

export interface HistoryEvent {
  at: number;
  kind: 'first-seen' | 'last-seen' | 'removed';
  id: string;
  internalAddress: string;
  description: string;
}

export const settingsSchema = z
  .object({
    ownerGoneMinutes: z.number().int().min(1).max(525_600),
    idleDays: z.number().min(0.01).max(3650),
    checkSubnet: z.boolean(),
    notifyPrivileged: z.boolean(),
    notifyNewHost: z.boolean(),
    /** Alert when a mapping opens a port on the watch list (`watchPorts`). */
    notifyWatchedPort: z.boolean(),
    watchPorts: z
      .string()
      .max(WATCH_PORTS_MAX)
      .refine((s) => parseWatchPorts(s) !== null, WATCH_PORTS_HINT),
    /** Alert when the owner's MAC belongs to no registered maker (private Wi-Fi addresses excepted). */
    notifyUnknownVendor: z.boolean(),
    /** Every alert silenced (tray "Pause alerts"); the rules stay as set. */
    alertsPaused: z.boolean(),
    scheduledCleanup: z.boolean(),
    scheduledCleanupHours: z
      .number()
      .min(1)
      .max(24 * 30),
    enrichSeconds: z.number().int().min(2).max(3600),
  })
  .strict();
export type MappingsSettings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: MappingsSettings = {
  ownerGoneMinutes: 24 * 60,
  idleDays: 7,
  checkSubnet: true,
  notifyPrivileged: true,
  notifyNewHost: true,
  notifyWatchedPort: true,
  // Remote shells, file sharing and remote desktops: ports nobody should open to the internet by accident.
  watchPorts: '22, 23, 445, 3389, 5900',
  notifyUnknownVendor: true,
  alertsPaused: false,
  scheduledCleanup: false,
  scheduledCleanupHours: 24,
  enrichSeconds: 15,
};

export interface CleanupCandidate {
  mapping: MappingView;
  reasons: StaleReason[];
}

export interface CleanupPreview {
  previewId: string;
  createdAt: number;
  /** A single mapping the user asked to remove from its row: no stale check, no checkboxes. */
  single: boolean;
  candidates: CleanupCandidate[];
  /** The plan with every candidate selected. */
  plan: CleanupPlan;
}

export interface TrafficLog {
  id: string;
  logRuleId: string | null;
  prefix: string;
  lines: Array<{ time: string; message: string }>;
}

/** How long one `watch({ visible: true })` counts; the Mappings screen renews it at half that. */
export const WATCH_LEASE_MS = 120_000;

const idSchema = mappingIdSchema;

export const mappingsDomain = defineDomain({
  name: 'mappings',
  methods: {
    snapshot: method<z.ZodUndefined, MappingsSnapshot>(z.undefined(), snapshotWire),
    history: method<z.ZodUndefined, { points: HistoryPoint[]; events: HistoryEvent[] }>(z.undefined()),
    settings: method<z.ZodUndefined, MappingsSettings>(z.undefined()),
    saveSettings: method<ReturnType<typeof settingsSchema.partial>, MappingsSettings>(settingsSchema.partial()),
    /** The stale mappings with the plan; `{ only: id }` = one mapping the user asked to remove. */
    previewCleanup: method<typeof previewInputSchema, CleanupPreview>(previewInputSchema),
    /** The plan for the user's selection (the ids still ticked). */
    planCleanup: method<typeof planInputSchema, CleanupPlan>(planInputSchema),
    /** Runs the plan the user confirmed; refused (`plan-changed`) when it would now do more than that. */
    runCleanup: method<typeof runInputSchema, CleanupSummary>(runInputSchema),
    startTrafficLog: method<z.ZodObject<{ id: typeof idSchema }>, TrafficLog>(z.object({ id: idSchema }).strict()),
    trafficLog: method<z.ZodObject<{ id: typeof idSchema }>, TrafficLog>(z.object({ id: idSchema }).strict()),
    stopTrafficLog: method<z.ZodObject<{ id: typeof idSchema }>, void>(z.object({ id: idSchema }).strict()),
    makePermanent: method<
      z.ZodObject<{ id: typeof idSchema; hairpin: z.ZodBoolean }>,
      { natRuleId: string; hairpinRuleId: string | null; commands: string[] }
    >(z.object({ id: idSchema, hairpin: z.boolean() }).strict()),
    commands: method<z.ZodObject<{ id: typeof idSchema }>, { text: string }>(z.object({ id: idSchema }).strict()),
    /**
     * Whether the mappings are on screen (issue 14). While nobody watches, the monitor still hears
     * every change (`listen`) but re-reads owners, counters and connections at a slow pace.
     * `visible: true` is a lease of WATCH_LEASE_MS that the screen renews; a closed window, a hidden
     * tab or a renderer that died falls back to the slow pace by itself.
     */
    watch: method<z.ZodObject<{ visible: z.ZodBoolean }>, void>(z.object({ visible: z.boolean() }).strict()),
  },
  events: {
    delta: event<MappingsDelta>(deltaWire),
    status: event<MonitorStatus>(),
    cleanupProgress: event<CleanupProgress>(),
    notice: event<NoticePayload>(),
    /** The settings after every save (the tray's "Pause alerts" and the Settings screen stay in step). */
    settingsChanged: event<MappingsSettings>(),
  },
  errorCodes: [
    'not-connected',
    'not-found',
    'router-error',
    'preview-expired',
    'not-in-preview',
    'busy',
    'unsupported',
    'read-only',
    'plan-changed',
  ],
});
export type MappingsErrorCode = (typeof mappingsDomain.errorCodes)[number];
