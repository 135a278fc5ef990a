/**
 * What the free functions around the device (commands, hooks, renames, the seed mappings view, the
 * scenario hosts) may use of it. They take this instead of importing DemoDevice, which imports them:
 * the interface breaks that import circle (issue 17) and says what they touch.
 */
import type { DeviceBackend } from './backend';
import type { Clock } from './clock';
import type { Profile } from './registry';
import type { Table } from './table';
import type { Unknowns } from './unknowns';
import type { UnknownCommandError } from '../api-device';

export interface DeviceState {
  readonly profile: Profile;
  readonly clock: Clock;
  readonly backend: DeviceBackend;
  /** What this router allows where real RouterOS is unknown (unknowns.ts). */
  readonly unknowns: Unknowns;
  has(path: string): boolean;
  /** Throws UnknownCommandError for a menu this profile does not have. */
  table(path: string): Table;
  /** The trap for a path this profile lacks, naming its first unknown element like RouterOS. */
  unknownCommand(path: string, verb?: string): UnknownCommandError;
  /** A persisted menu changed (the state file saves). */
  configChanged(path: string): void;
  /** `/system/reboot`. */
  reboot(): void;
}
