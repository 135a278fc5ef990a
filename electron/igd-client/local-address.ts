// Which of our addresses a gateway sees: connect() on a UDP socket picks the route's source
// address without sending a packet (the kernel only does a route lookup).
import dgram from 'node:dgram';

export function localAddressToward(
  host: string,
  port = 1900,
  createSocket: () => dgram.Socket = () => dgram.createSocket('udp4'),
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createSocket();
    const done = (err: Error | null, addr?: string): void => {
      socket.close(() => (err || !addr ? reject(err ?? new Error('no local address')) : resolve(addr)));
    };
    socket.once('error', (e) => done(e));
    socket.connect(port, host, () => {
      try {
        done(null, socket.address().address);
      } catch (e) {
        done(e as Error);
      }
    });
  });
}
