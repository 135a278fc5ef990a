import { z } from 'zod';
import { defineDomain, event, method } from '../contract/define';

/*
 * Configuration: every change PortPilot makes to a router is a change plan the user reads first
 * (steps in plain words + the RouterOS script), then applies with progress, with rollback on failure
 * and a journal when the connection drops. Plans are built and kept by main; the renderer applies
 * them by id, so it can never send arbitrary router operations.
 *
 * Inputs are plain strings here on purpose: main validates them (ports, ranges, IPv4, interface names
 * that exist on the router) and answers `invalid-input` with `detail.fields: [{ field, message }]`.
 */

export interface FieldError {
  field: string;
  message: string;
}

/** A step of a change plan as people see it; main's `Step` (electron/plans) adds the API operation. */
export interface StepView {
  /** Stable within a plan (e.g. `upnp-settings`, `perm-add-3`). */
  id: string;
  /** What the step does, in plain words. */
  description: string;
  /** The equivalent RouterOS CLI line (what the `.rsc` preview shows). */
  cli: string;
  /**
   * Changing /ip/upnp or /ip/upnp/interfaces restarts the UPnP service and drops every dynamic
   * mapping (MikroTik manual, routeros-facts.md); the same holds for /ip/nat-pmp.
   */
  restartsUpnp: boolean;
  restartsNatPmp: boolean;
}

export interface PlanView {
  id: string;
  title: string;
  steps: StepView[];
  /** Live mappings the restarts would drop (0 when no step restarts the service). */
  flush: { upnp: number; natPmp: number };
  /** Things the user should read before applying (e.g. an internet-facing interface made internal). */
  warnings: string[];
  /** Worth knowing, not a risk: e.g. a device preset that needs no rule on this router, and why. */
  notes?: string[];
  /** The plan as a RouterOS script (`.rsc`). */
  script: string;
}

export type StepResult =
  | 'applied'
  | 'already-done'
  | 'failed'
  | 'not-run'
  | 'rolled-back'
  | 'rollback-failed'
  /** The connection dropped while this step was being sent: unknown whether it took effect. */
  | 'unknown';

export interface StepReport {
  id: string;
  description: string;
  cli: string;
  result: StepResult;
  error?: string;
}

export type ApplyOutcome = 'applied' | 'nothing-to-do' | 'rolled-back' | 'rollback-incomplete' | 'interrupted';

export interface ApplyReport {
  planId: string;
  title: string;
  outcome: ApplyOutcome;
  steps: StepReport[];
  /** Step ids, in order. */
  applied: string[];
  alreadyDone: string[];
  rolledBack: string[];
  notRolledBack: Array<{ id: string; error: string }>;
  failure?: { stepId: string; message: string };
  /** Set when the connection dropped: the journal keeps what is needed to roll back or resume. */
  interrupted?: { stepId: string; message: string };
}

export type ProgressPhase =
  | 'waiting'
  | 'checking'
  | 'applying'
  | 'applied'
  | 'skipped'
  | 'failed'
  | 'rolling-back'
  | 'rolled-back'
  | 'rollback-failed';

export interface ProgressEvent {
  planId: string;
  stepId: string;
  index: number;
  total: number;
  /** `waiting`: another change on the same router runs first (`message` says which). */
  phase: ProgressPhase;
  message?: string;
}

export interface UpnpSettingsView {
  enabled: boolean;
  allowDisableExternalInterface: boolean;
  showDummyRule: boolean;
}

export interface RoleView {
  interface: string;
  type: 'internal' | 'external';
  disabled: boolean;
}

export interface InterfaceInfo {
  name: string;
  type: string;
  /** Why it faces the internet (default route, DHCP client, PPPoE, public address); empty = LAN. */
  internet: string[];
  guest: boolean;
}

export interface PermissionView {
  action: 'allow' | 'deny';
  /** External interface the rule applies to; '' = any. */
  interface: string;
  protocol: 'tcp' | 'udp' | 'both';
  /** '' = any port. */
  dstPort: string;
  /** '' = any LAN host. */
  internalAddress: string;
  comment: string;
}

export interface ForwardView {
  id: string;
  inInterface: string;
  protocol: string;
  dstPort: string;
  toAddress: string;
  toPort: string;
  comment: string;
}

export interface ConfigView {
  settings: UpnpSettingsView;
  upnpRoles: RoleView[];
  natPmp: { enabled: boolean; roles: RoleView[] } | null;
  interfaces: InterfaceInfo[];
  /** null where the router has no /ip/upnp/permissions (real RouterOS 7). */
  permissions: PermissionView[] | null;
  /** Rule indexes that can never match, with why. */
  shadowed: Array<{ index: number; coveredBy: number; message: string }>;
  /**
   * The list the Permissions screen edits: the permissions, or on RouterOS 7 the rules PortPilot's
   * firewall rules were made from (re-planning it unchanged changes nothing).
   */
  policy: PermissionView[];
  /** PortPilot-managed filter rules (RouterOS 7's replacement for permissions). */
  protection: Array<{
    id: string;
    action: string;
    protocol: string;
    dstPort: string;
    dstAddress: string;
    comment: string;
  }>;
  forwards: ForwardView[];
  eim: boolean;
  wan: string | null;
  lanSubnet: string | null;
  liveMappings: { upnp: number; natPmp: number };
}

export interface Candidate {
  interface: string;
  evidence: string[];
  /** Pre-selected in the wizard. */
  recommended: boolean;
  warning?: string;
}

/** A host on the LAN, from the router's DHCP leases and ARP table. */
export interface LanHost {
  address: string;
  mac: string;
  hostName: string;
  /** From the MAC's OUI (IEEE registry); null when the registry does not list it. */
  vendor: string | null;
  online: boolean;
}

export interface LanDevice extends LanHost {
  /** The preset PortPilot suggests for it (a PresetView id), if any. */
  suggested: string | null;
}

export interface PresetView {
  id: string;
  name: string;
  kind: 'console' | 'server';
  ports: Array<{ protocol: 'tcp' | 'udp'; ports: string }>;
  /** Where the port list comes from. */
  source: string;
}

export interface WizardStart {
  /**
   * What the wizard proposes: its last applied choices on this router where they still fit, else what
   * it detected; each device's preset from the router's rules, that memory, or its name and vendor.
   * Running the wizard with these on a router it set up plans nothing.
   */
  defaults: SetupChoicesInput;
  internal: Candidate[];
  external: Candidate[];
  /** Roles the router has now (UPnP), so the wizard can show what changes. */
  current: Array<{ interface: string; type: 'internal' | 'external' }>;
  devices: LanDevice[];
  presets: PresetView[];
  hasPermissions: boolean;
  hasNatPmp: boolean;
  natPmpEnabled: boolean;
  /** The router's UPnP settings now, so the wizard says which of the recommended ones it changes. */
  upnp: UpnpSettingsView;
}

export interface Verification {
  upnpInterfaces: Array<Record<string, string>>;
  mappings: Array<Record<string, string>>;
  mappingsSource: string;
  dynamicNat: Array<Record<string, string>>;
  protection: { kind: 'permissions' | 'firewall' | 'none'; count: number };
  problems: string[];
}

export type JournalStatus = 'applying' | 'interrupted' | 'completed' | 'rolled-back' | 'rollback-incomplete';

export interface JournalView {
  planId: string;
  title: string;
  target: string;
  startedAt: string;
  status: JournalStatus;
  report: ApplyReport;
}

const text = z.string().max(200);
const roleSchema = z.object({ interface: text, type: z.enum(['internal', 'external']) }).strict();
const permissionSchema = z
  .object({
    action: z.enum(['allow', 'deny']),
    interface: text,
    protocol: text,
    dstPort: text,
    internalAddress: text,
    comment: text,
  })
  .strict();
export const forwardInputSchema = z
  .object({
    inInterface: text,
    protocol: text,
    dstPort: text,
    toAddress: text,
    /** '' = same as dstPort. */
    toPort: text,
    comment: text,
    /** Also add hairpin NAT for this LAN subnet (e.g. 192.168.88.0/24); '' = no hairpin. */
    hairpinSubnet: text,
  })
  .strict();
export const setupChoicesSchema = z
  .object({
    internal: z.array(text).max(32),
    external: text,
    security: z.enum(['high-ports', 'keep']),
    devices: z.array(z.object({ address: text, preset: text, name: text.optional() }).strict()).max(64),
    natPmp: z.boolean(),
  })
  .strict();
export type SetupChoicesInput = z.infer<typeof setupChoicesSchema>;
export type ForwardInput = z.infer<typeof forwardInputSchema>;

const planId = z.object({ planId: z.string().min(1).max(64) }).strict();

export const configDomain = defineDomain({
  name: 'config',
  methods: {
    read: method<z.ZodUndefined, ConfigView>(z.undefined()),
    planSettings: method<
      z.ZodObject<{ enabled: z.ZodBoolean; allowDisableExternalInterface: z.ZodBoolean; showDummyRule: z.ZodBoolean }>,
      PlanView
    >(
      z
        .object({ enabled: z.boolean(), allowDisableExternalInterface: z.boolean(), showDummyRule: z.boolean() })
        .strict(),
    ),
    planRoles: method<
      z.ZodObject<{ service: z.ZodEnum<{ upnp: 'upnp'; 'nat-pmp': 'nat-pmp' }>; roles: z.ZodArray<typeof roleSchema> }>,
      PlanView
    >(z.object({ service: z.enum(['upnp', 'nat-pmp']), roles: z.array(roleSchema).max(32) }).strict()),
    planPermissions: method<z.ZodObject<{ rules: z.ZodArray<typeof permissionSchema> }>, PlanView>(
      z.object({ rules: z.array(permissionSchema).max(200) }).strict(),
    ),
    planForward: method<typeof forwardInputSchema, PlanView>(forwardInputSchema),
    planRemoveForward: method<z.ZodObject<{ id: z.ZodString }>, PlanView>(
      z.object({ id: z.string().min(1).max(32) }).strict(),
    ),
    planEim: method<z.ZodObject<{ enabled: z.ZodBoolean }>, PlanView>(z.object({ enabled: z.boolean() }).strict()),
    wizardStart: method<z.ZodUndefined, WizardStart>(z.undefined()),
    wizardPlan: method<typeof setupChoicesSchema, PlanView>(setupChoicesSchema),
    apply: method<typeof planId, ApplyReport>(planId),
    journal: method<z.ZodUndefined, JournalView | null>(z.undefined()),
    resume: method<z.ZodUndefined, ApplyReport>(z.undefined()),
    /** Undoes the last change; with `planId`, only if that plan is the last change (else `busy`). */
    rollback: method<z.ZodOptional<typeof planId>, ApplyReport>(planId.optional()),
    verify: method<z.ZodUndefined, Verification>(z.undefined()),
  },
  events: {
    progress: event<ProgressEvent>(),
  },
  errorCodes: ['not-connected', 'invalid-input', 'unknown-plan', 'busy', 'no-journal', 'router-error', 'read-only'],
});
export type ConfigErrorCode = (typeof configDomain.errorCodes)[number];
