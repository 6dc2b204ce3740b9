/**
 * Decides whether the transport keeps the Node process alive.
 *
 * grpc-js refs the HTTP/2 connection for as long as a call is open, and our stream stays
 * open between batches, so an app that ends without calling shutdown would wait for the
 * idle close (`idleTimeoutMillis`). grpc-js 1.14 offers no public way to unref a channel or
 * a call (Client/Channel have no `unref`; the session's ref/unref follow the active-call
 * count in its transport), so the channel's credentials are wrapped: the wrapper sees every
 * socket its connector hands to HTTP/2 and unrefs them while nothing is pending.
 *
 * While something is pending (a submit in progress, a batch held unacknowledged) a timer of
 * our own holds the event loop instead: it covers connecting, backoff and waiting for acks
 * alike, whatever grpc-js does with its own refs meanwhile.
 */
import type { Socket } from 'node:net';
import * as grpc from '@grpc/grpc-js';

/** The connector interface of grpc-js >= 1.10 (`ChannelCredentials._createSecureConnector`). */
interface SecureConnector {
  connect(socket: Socket): Promise<{ socket: Socket; secure: boolean }>;
  waitForReady(): Promise<void>;
  getCallCredentials(): unknown;
  destroy(): void;
}
type ConnectorFactory = (target: unknown, options: unknown, callCredentials?: unknown) => SecureConnector;

const MAX_TIMER_MS = 2 ** 31 - 1;

export class EventLoopHold {
  private readonly _sockets = new Set<Socket>();
  private _timer: NodeJS.Timeout | undefined;

  /** True while the transport holds the process open. */
  get held(): boolean {
    return this._timer !== undefined;
  }

  /**
   * Credentials that behave as `inner` and report the sockets they connect. Returns `inner`
   * unchanged when its grpc-js version has no connector hook (the process is then held by
   * the open stream until the idle close, as before).
   */
  wrap(inner: grpc.ChannelCredentials): grpc.ChannelCredentials {
    const factory = (inner as unknown as { _createSecureConnector?: ConnectorFactory })._createSecureConnector;
    if (typeof factory !== 'function') return inner;
    return new SocketReportingCredentials(inner, factory.bind(inner), (s) => this._track(s));
  }

  /** Pending work: hold the process until `release`. */
  hold(): void {
    if (this._timer) return;
    this._timer = setInterval(() => undefined, MAX_TIMER_MS);
  }

  /** Nothing pending: let the process exit even with the stream open. */
  release(): void {
    if (this._timer) {
      clearInterval(this._timer);
      this._timer = undefined;
    }
    // grpc-js re-refs a socket when a call starts on it; unref again at every release.
    for (const s of this._sockets) s.unref();
  }

  private _track(socket: Socket): void {
    this._sockets.add(socket);
    socket.once('close', () => this._sockets.delete(socket));
    if (!this._timer) socket.unref();
  }
}

class SocketReportingCredentials extends grpc.ChannelCredentials {
  constructor(
    private readonly _inner: grpc.ChannelCredentials,
    private readonly _factory: ConnectorFactory,
    private readonly _onSocket: (s: Socket) => void,
  ) {
    super();
  }

  _isSecure(): boolean {
    return this._inner._isSecure();
  }

  /** Identity: the subchannel pool must never share these sockets with another channel. */
  _equals(other: grpc.ChannelCredentials): boolean {
    return other === this;
  }

  _createSecureConnector(...args: Parameters<grpc.ChannelCredentials['_createSecureConnector']>): ReturnType<grpc.ChannelCredentials['_createSecureConnector']> {
    const c = this._factory(...args);
    const onSocket = this._onSocket;
    const connector: SecureConnector = {
      async connect(socket) {
        const r = await c.connect(socket);
        onSocket(r.socket);
        return r;
      },
      waitForReady: () => c.waitForReady(),
      getCallCredentials: () => c.getCallCredentials(),
      destroy: () => c.destroy(),
    };
    return connector as unknown as ReturnType<grpc.ChannelCredentials['_createSecureConnector']>;
  }
}
