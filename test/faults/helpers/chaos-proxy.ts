/**
 * A TCP proxy (node:net) that breaks connections on purpose: each connection gets a
 * random byte budget (both directions counted); when it runs out, the proxy either cuts
 * the connection (destroys both sockets) or stalls it (stops forwarding, keeps it open).
 */
import net from 'node:net';
import { seededRandom } from '../../../src/cli/demo-generator';

export interface ChaosOptions {
  minBytes: number;
  maxBytes: number;
  /** Share of faults that stall instead of cut. */
  stallRatio: number;
  /** Seeded random source, so a failure can be replayed. */
  random: () => number;
}

export interface ChaosProxy {
  readonly port: number;
  readonly cuts: number;
  readonly stalls: number;
  readonly connections: number;
  readonly bytes: number;
  /** Stop breaking things (forward everything from now on, new connections included). */
  calm(): void;
  close(): Promise<void>;
}

/** Seeded PRNG for reproducible chaos (the demo generator's mulberry32). */
export const seeded = seededRandom;

export function startChaosProxy(targetPort: number, o: ChaosOptions): Promise<ChaosProxy> {
  let cuts = 0;
  let stalls = 0;
  let connections = 0;
  let bytes = 0;
  let calm = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    connections++;
    const upstream = net.connect(targetPort, '127.0.0.1');
    let budget = o.minBytes + Math.floor(o.random() * (o.maxBytes - o.minBytes));
    let broken = false;
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => { client.destroy(); upstream.destroy(); });
    }
    const relay = (from: net.Socket, to: net.Socket) => {
      from.on('data', (d: Buffer) => {
        if (broken) return; // stalled: swallow
        bytes += d.length;
        if (!calm) budget -= d.length;
        if (budget > 0 || calm) {
          to.write(d);
          return;
        }
        broken = true;
        if (o.random() < o.stallRatio) {
          stalls++; // keep both sockets open, forward nothing more
        } else {
          cuts++;
          // forward part of the chunk, then cut mid-frame
          to.write(d.subarray(0, Math.floor(d.length / 2)), () => { client.destroy(); upstream.destroy(); });
        }
      });
      from.on('end', () => to.end());
    };
    relay(client, upstream);
    relay(upstream, client);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        get cuts() { return cuts; },
        get stalls() { return stalls; },
        get connections() { return connections; },
        get bytes() { return bytes; },
        calm() { calm = true; },
        close: () => new Promise<void>((done) => {
          for (const s of sockets) s.destroy();
          server.close(() => done());
        }),
      });
    });
  });
}
