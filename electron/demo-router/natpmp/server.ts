/**
 * The demo router's NAT-PMP face: one UDP socket on host:5351 (RFC 6886 §3) answering each
 * request by unicast to its sender. Epoch = seconds since the backend's service (re)start.
 */
import dgram from 'node:dgram';
import type { MappingBackend } from '../mapping-backend';
import { NATPMP_PORT } from '../../natpmp/codec';
import { handlePacket } from './handler';

export interface NatPmpOptions {
  backend: MappingBackend;
  host: string;
  /** Default 5351; 0 = random. */
  port?: number;
  log?: (line: string) => void;
}

export interface NatPmpServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

export async function startNatPmp(opts: NatPmpOptions): Promise<NatPmpServer> {
  const log = opts.log ?? (() => undefined);
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(opts.port ?? NATPMP_PORT, opts.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', (error) => log(`nat-pmp: socket error ${error.message}`));
  socket.on('message', (packet, peer) => {
    const { response, summary } = handlePacket(opts.backend, packet, peer.address);
    log(`nat-pmp: ${peer.address}:${peer.port} ${summary}`);
    if (response) socket.send(response, peer.port, peer.address);
  });
  // RFC 6886 §3.2.1 also asks for a multicast announcement to 224.0.0.1:5350 on restart; the
  // demo never multicasts from the host namespace, so clients notice the restart by the epoch
  // going back (§3.6), which the backend's uptime reset provides.
  const unsubscribe = opts.backend.onRestart(() => log('nat-pmp: service restarted, epoch reset'));
  const port = socket.address().port;
  log(`nat-pmp: listening udp ${opts.host}:${port}`);
  return {
    host: opts.host,
    port,
    async close() {
      unsubscribe();
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
