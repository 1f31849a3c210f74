// Which browser pages of other origins may call the gateway. Tokens travel in the Authorization
// header, never in cookies, so no credentials are allowed and a page can only send what its own
// code holds; the allow-list decides which sites may build on the hub at all.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface CorsOptions {
  /**
   * Allowed origins, e.g. `https://app.example.org`; a port may be `*` (`http://localhost:*`), and
   * `*` alone allows every origin. Default none: only same-origin pages (the gateway's own IDE).
   */
  origins: string[];
  /** Default `/graphql`: the only path preflight requests are answered on. */
  graphqlPath?: string;
  /** How long browsers may cache a preflight answer, in seconds. Default 600. */
  maxAgeSeconds?: number;
}

/** Request headers a page may send: what GraphQL clients and the IDE use. */
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-request-id',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
];
/**
 * Response headers a page may read: the request id to report (and the page's own id of the
 * request, echoed), and why a request was refused.
 */
const EXPOSED_HEADERS = ['x-request-id', 'x-client-request-id', 'retry-after', 'www-authenticate'];

/**
 * A handler for the kit server's `before` hook: adds the CORS headers to responses for allowed
 * origins (and nothing for others, so that the browser withholds the response), and answers
 * preflight `OPTIONS` requests itself with 204. Returns true only when it answered.
 */
export function corsHandler(options: CorsOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const maxAge = String(options.maxAgeSeconds ?? 600);
  const allowed = originMatcher(options.origins);

  return (req, res) => {
    const origin = req.headers.origin;
    const permitted = typeof origin === 'string' && allowed(origin);
    if (permitted) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', EXPOSED_HEADERS.join(', '));
    }
    // Answers differ by origin: caches must keep them apart.
    if (options.origins.length > 0) res.setHeader('vary', 'Origin');

    if (req.method !== 'OPTIONS') return false;
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname !== graphqlPath) return false;
    if (permitted) {
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      res.setHeader('access-control-allow-headers', ALLOWED_HEADERS.join(', '));
      res.setHeader('access-control-max-age', maxAge);
    }
    res.writeHead(204, { allow: 'GET, POST, OPTIONS', 'content-length': '0' });
    res.end();
    return true;
  };
}

/** Whether an `Origin` header names an allowed origin (exact, or any port where the entry says `*`). */
export function originMatcher(origins: string[]): (origin: string) => boolean {
  if (origins.includes('*')) return () => true;
  const exact = new Set(origins.filter((entry) => !entry.endsWith(':*')).map((entry) => entry.toLowerCase()));
  const anyPort = origins
    .filter((entry) => entry.endsWith(':*'))
    .map((entry) => new RegExp(`^${escape(entry.slice(0, -2).toLowerCase())}(:\\d{1,5})?$`));
  return (origin) => {
    const candidate = origin.toLowerCase();
    return exact.has(candidate) || anyPort.some((pattern) => pattern.test(candidate));
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
