/** Turns an endpoint URL into what gRPC dials plus the choice of plaintext or TLS. */

export interface ParsedEndpoint {
  /** `host:port`, or the `unix:` URL unchanged. */
  address: string;
  /** true = `https://`, false = `http://` or `unix:`, undefined = no scheme (decided by `insecure`). */
  secure: boolean | undefined;
  /** A path after the port, which gRPC cannot use (it is dropped). */
  droppedPath?: string;
}

/** Parses `http(s)://host:port[/path]`, `host:port` or `unix:///path`; returns an error message when it cannot. */
export function parseEndpoint(url: string): ParsedEndpoint | string {
  const text = url.trim();
  if (text === '') return 'is empty';
  if (text.startsWith('unix:')) return { address: text, secure: false };
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let u: URL;
  try {
    u = new URL(hasScheme ? text : `https://${text}`);
  } catch {
    return `is not a valid URL or host:port (${JSON.stringify(url)})`;
  }
  let secure: boolean | undefined;
  if (!hasScheme) secure = undefined;
  else if (u.protocol === 'http:') secure = false;
  else if (u.protocol === 'https:') secure = true;
  else return `has unsupported scheme ${JSON.stringify(u.protocol)} (use http://, https:// or unix:)`;
  if (u.hostname === '') return `has no host (${JSON.stringify(url)})`;
  const port = u.port || (secure === false ? '80' : '443');
  const out: ParsedEndpoint = { address: `${u.hostname}:${port}`, secure };
  if (u.pathname !== '' && u.pathname !== '/') out.droppedPath = u.pathname;
  return out;
}
