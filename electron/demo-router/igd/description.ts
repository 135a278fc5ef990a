/**
 * Root device description and SCPD documents (UPnP Device Architecture 1.0/1.1 §2.3, §2.5).
 * Device tree as IGD:1 §2.1 / IGD:2 §2.1 require: InternetGatewayDevice → WANDevice
 * (WANCommonInterfaceConfig) → WANConnectionDevice (WANIPConnection). RouterOS serves IGD:1
 * with WANIPConnection:1 by default (routeros-facts.md); IGD:2 is selectable in the demo.
 */
import {
  SERVICES,
  actionsFor,
  deviceType,
  serviceType,
  type IgdVersion,
  type ServiceKey,
  type ServiceSpec,
} from './services';
import { element } from './xml';

export interface DeviceIdentity {
  /** The router's /system identity, shown by clients as the gateway's name. */
  friendlyName: string;
  /** RouterOS version, e.g. "7.18.2". */
  modelNumber: string;
  serialNumber: string;
  /** Base UUID; the three devices get distinct UDNs derived from it. */
  uuid: string;
}

export const DEFAULT_IDENTITY: DeviceIdentity = {
  friendlyName: 'MikroTik',
  modelNumber: '7.18.2',
  serialNumber: 'HE508A1B2C3',
  uuid: 'a0b5c6d2-7e31-4a8f-9c0d-4d696b726f00',
};

export type DeviceLevel = 0 | 1 | 2;

/** UDN of the root (0), WANDevice (1) and WANConnectionDevice (2). */
export function deviceUdn(identity: DeviceIdentity, level: DeviceLevel): string {
  return `uuid:${identity.uuid.slice(0, -2)}${String(level).padStart(2, '0')}`;
}

function serviceXml(key: ServiceKey, version: IgdVersion): string {
  const s = SERVICES[key];
  return (
    '<service>' +
    element('serviceType', serviceType(key, version)) +
    element('serviceId', s.serviceId) +
    element('SCPDURL', s.scpdPath) +
    element('controlURL', s.controlPath) +
    element('eventSubURL', s.eventPath) +
    '</service>'
  );
}

function commonFields(identity: DeviceIdentity, level: DeviceLevel, modelDescription: string): string {
  return (
    element('friendlyName', level === 0 ? identity.friendlyName : `${identity.friendlyName} ${modelDescription}`) +
    element('manufacturer', 'MikroTik') +
    element('manufacturerURL', 'https://www.mikrotik.com/') +
    element('modelDescription', modelDescription) +
    element('modelName', 'RouterOS') +
    element('modelNumber', identity.modelNumber) +
    element('modelURL', 'https://www.mikrotik.com/') +
    element('serialNumber', identity.serialNumber) +
    element('UDN', deviceUdn(identity, level))
  );
}

export function buildRootDescription(version: IgdVersion, identity: DeviceIdentity = DEFAULT_IDENTITY): string {
  const connectionDevice =
    '<device>' +
    element('deviceType', deviceType('WANConnectionDevice', version)) +
    commonFields(identity, 2, 'WAN Connection Device') +
    `<serviceList>${serviceXml('WANIPConnection', version)}</serviceList>` +
    '</device>';
  const wanDevice =
    '<device>' +
    element('deviceType', deviceType('WANDevice', version)) +
    commonFields(identity, 1, 'WAN Device') +
    `<serviceList>${serviceXml('WANCommonInterfaceConfig', version)}</serviceList>` +
    `<deviceList>${connectionDevice}</deviceList>` +
    '</device>';
  return (
    '<?xml version="1.0"?>\r\n' +
    '<root xmlns="urn:schemas-upnp-org:device-1-0">' +
    `<specVersion><major>1</major><minor>${version === 2 ? 1 : 0}</minor></specVersion>` +
    '<device>' +
    element('deviceType', deviceType('InternetGatewayDevice', version)) +
    commonFields(identity, 0, 'MikroTik RouterOS') +
    `<deviceList>${wanDevice}</deviceList>` +
    '</device></root>\r\n'
  );
}

function argumentXml([name, variable]: [string, string], direction: 'in' | 'out'): string {
  return `<argument>${element('name', name)}${element('direction', direction)}${element('relatedStateVariable', variable)}</argument>`;
}

export function buildScpd(service: ServiceSpec, version: IgdVersion): string {
  const actions = actionsFor(service, version)
    .map((a) => {
      const args = [...a.in.map((x) => argumentXml(x, 'in')), ...a.out.map((x) => argumentXml(x, 'out'))];
      return `<action>${element('name', a.name)}${args.length ? `<argumentList>${args.join('')}</argumentList>` : ''}</action>`;
    })
    .join('');
  const variables = service.stateVariables
    .filter((v) => version === 2 || !v.v2Only)
    .map((v) => {
      const allowed = v.allowed
        ? `<allowedValueList>${v.allowed.map((x) => element('allowedValue', x)).join('')}</allowedValueList>`
        : '';
      return `<stateVariable sendEvents="no">${element('name', v.name)}${element('dataType', v.dataType)}${allowed}</stateVariable>`;
    })
    .join('');
  return (
    '<?xml version="1.0"?>\r\n' +
    '<scpd xmlns="urn:schemas-upnp-org:service-1-0">' +
    `<specVersion><major>1</major><minor>${version === 2 ? 1 : 0}</minor></specVersion>` +
    `<actionList>${actions}</actionList>` +
    `<serviceStateTable>${variables}</serviceStateTable>` +
    '</scpd>\r\n'
  );
}
