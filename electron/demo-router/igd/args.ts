/**
 * Typed readers for SOAP string arguments. A missing or malformed argument is UPnP 402
 * Invalid Args (UDA 1.0 §3.2.2); data types per the SCPD (ui2 ports, ui4 lease, boolean).
 */
import type { MappingProtocol } from '../mapping-backend';
import { IgdSoapFault } from './errors';

export type Args = Record<string, string>;

function raw(args: Args, name: string): string {
  const value = args[name];
  if (value === undefined) throw new IgdSoapFault(402, `missing argument ${name}`);
  return value.trim();
}

export function readUint(args: Args, name: string, max: number): number {
  const value = raw(args, name);
  if (!/^\d{1,10}$/.test(value) || Number(value) > max) {
    throw new IgdSoapFault(402, `${name}=${JSON.stringify(value)} is not an integer 0..${max}`);
  }
  return Number(value);
}

export const readPort = (args: Args, name: string): number => readUint(args, name, 65535);

export function readProtocol(args: Args, name = 'NewProtocol'): MappingProtocol {
  const value = raw(args, name).toUpperCase();
  if (value !== 'TCP' && value !== 'UDP') throw new IgdSoapFault(402, `${name} must be TCP or UDP`);
  return value === 'TCP' ? 'tcp' : 'udp';
}

export function readBoolean(args: Args, name: string): boolean {
  const value = raw(args, name).toLowerCase();
  if (value === '1' || value === 'true' || value === 'yes') return true;
  if (value === '0' || value === 'false' || value === 'no') return false;
  throw new IgdSoapFault(402, `${name} must be a boolean (0/1)`);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

export function readIpv4(args: Args, name: string): string {
  const value = raw(args, name);
  if (!isIpv4(value)) throw new IgdSoapFault(402, `${name}=${JSON.stringify(value)} is not an IPv4 address`);
  return value;
}

/** NewRemoteHost: '' = wildcard; otherwise an IPv4 address. */
export function readRemoteHost(args: Args): string {
  const value = raw(args, 'NewRemoteHost');
  if (value !== '' && !isIpv4(value)) throw new IgdSoapFault(402, 'NewRemoteHost must be empty or IPv4');
  return value;
}

export function readText(args: Args, name: string, maxLength: number): string {
  const value = args[name];
  if (value === undefined) throw new IgdSoapFault(402, `missing argument ${name}`);
  if (value.length > maxLength) throw new IgdSoapFault(402, `${name} is longer than ${maxLength} characters`);
  return value;
}
