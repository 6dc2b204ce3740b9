/**
 * A byte-counting TCP relay for loopback benchmarks that, unlike the demo's
 * (src/cli/counting-relay.ts), disables Nagle's algorithm on both legs. gRPC sets
 * TCP_NODELAY on its own sockets; a relay that does not adds 40+ ms (Nagle x delayed ACK)
 * to every unary request/response round trip, which throttles the official exporter
 * (one export in flight at a time) to a fraction of its real speed and would make the
 * comparison unfair.
 */
import net from 'node:net';

export interface ByteCounter {
  readonly port: number;
  readonly bytesUp: number;
  readonly bytesDown: number;
  close(): Promise<void>;
}

export async function startNoDelayRelay(targetPort: number): Promise<ByteCounter> {
  const counts = { up: 0, down: 0 };
  const open = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    open.add(s);
    s.once('close', () => open.delete(s));
  };
  const server = net.createServer({ noDelay: true }, (client) => {
    const upstream = net.connect({ port: targetPort, host: '127.0.0.1', noDelay: true });
    track(client);
    track(upstream);
    const teardown = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', teardown);
    upstream.on('error', teardown);
    client.on('data', (chunk: Buffer) => (counts.up += chunk.length));
    upstream.on('data', (chunk: Buffer) => (counts.down += chunk.length));
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(0, '127.0.0.1', res);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    get bytesUp() { return counts.up; },
    get bytesDown() { return counts.down; },
    close: () => new Promise<void>((done) => {
      open.forEach((s) => s.destroy());
      server.close(() => done());
    }),
  };
}
