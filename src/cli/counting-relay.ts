/**
 * A loopback TCP relay that counts the bytes crossing it in each direction: put one in
 * front of a server and point the client at the relay to learn exactly what a protocol
 * costs on the socket (HTTP/2 framing, gRPC headers, TLS if any — everything).
 */
import net from 'node:net';

export interface CountingRelay {
  readonly port: number;
  /** Client -> server bytes so far. */
  readonly bytesUp: number;
  /** Server -> client bytes so far. */
  readonly bytesDown: number;
  close(): Promise<void>;
}

export function startCountingRelay(targetPort: number, host = '127.0.0.1'): Promise<CountingRelay> {
  let up = 0;
  let down = 0;
  const sockets = new Set<net.Socket>();
  // Nagle off on both legs: a relay that batches small writes adds ~40 ms to every unary
  // request/response round trip and would make the OTLP side look slower than it is.
  const server = net.createServer({ noDelay: true }, (client) => {
    const upstream = net.connect({ port: targetPort, host, noDelay: true });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => { client.destroy(); upstream.destroy(); });
    }
    client.on('data', (d: Buffer) => { up += d.length; });
    upstream.on('data', (d: Buffer) => { down += d.length; });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        port,
        get bytesUp() { return up; },
        get bytesDown() { return down; },
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
