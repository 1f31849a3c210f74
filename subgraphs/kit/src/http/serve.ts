import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { startDeadline, type RequestBudget } from '../deadline';
import { createLogger, type Logger } from '../telemetry/logger';
import { RequestTelemetry } from '../telemetry/request';
import type { ServiceTelemetry } from '../telemetry/service';

/** Where a server without telemetry (a test's stand-in) logs a failed request: a JSON line all the same. */
let fallbackLog: Logger | undefined;

/** A plain route beside GraphQL, such as `/health`, matched by exact path. */
export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface ServeOptions<TContext extends BaseContext> {
  /** Port to listen on; 0 picks a free one (tests). */
  port: number;
  /** Interface to bind. Default `0.0.0.0` so that a container's port mapping reaches it. */
  host?: string;
  /** Where GraphQL is served. Default `/graphql`. */
  graphqlPath?: string;
  /** Requests with a larger body are refused with 413 before parsing. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Extra routes by exact path, e.g. `{ '/health': ... }`. */
  routes?: Record<string, Route>;
  /**
   * Answers a request ahead of routing when it returns true, e.g. the gateway's IDE for browsers.
   * Default: none.
   */
  before?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /**
   * Builds the per-request context; it runs once per HTTP request. `signal` aborts when the
   * caller hangs up before its answer is sent, or when `requestBudget` is up: hand it to whatever
   * does the request's work, so that the work stops.
   */
  context: (req: IncomingMessage, signal: AbortSignal) => Promise<TContext>;
  /** The longest a request may run before its `signal` aborts. Default: no limit of time. */
  requestBudget?: RequestBudget;
  /**
   * The service's telemetry: each GraphQL request gets a span (under the caller's `traceparent`),
   * one access line and its metrics, and `/metrics` is served unless METRICS_PORT serves it apart.
   * Default: none.
   */
  telemetry?: ServiceTelemetry;
}

export interface RunningHttpService {
  url: string;
  port: number;
  server: Server;
  /**
   * Keeps serving, but each answer from now on tells its keep-alive caller to hang up, so that
   * callers reconnect (through their load balancer, to another instance) before close().
   */
  drain(): void;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 1024 * 1024;

/**
 * Serves an Apollo Server on node:http directly. No web framework sits in between because
 * every request of a federated query crosses this code twice (gateway and subgraph), and a
 * framework's routing and middleware would be paid on each hop.
 */
export async function serveApollo<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  options: ServeOptions<TContext>,
): Promise<RunningHttpService> {
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const routes = { ...options.telemetry?.routes, ...options.routes };

  // Responses under way, so that close() can tell their keep-alive clients to hang up: without
  // that, a connection busy when close() starts stays open after its response until the
  // keep-alive timeout (65 s) and holds up shutdown that long.
  const running = new Set<ServerResponse>();
  let draining = false;
  const hangUpAfter = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };

  const server = createServer((req, res) => {
    if (draining) hangUpAfter(res);
    else running.add(res);
    const deadline = startDeadline(options.requestBudget);
    // 'close' on the response, not the request: a request's 'close' only says its body was read.
    // Before the answer is finished it means the connection went (the gateway timed out, the
    // client left), and nobody will read what this request still computes.
    res.once('close', () => {
      running.delete(res);
      if (!res.writableFinished) deadline.abandon();
    });
    handle(req, res, deadline.signal)
      .catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error' }] });
        else res.destroy();
        const log = options.telemetry?.log ?? (fallbackLog ??= createLogger({ service: 'http' }));
        log.error({ err: error, url: req.url }, 'request failed');
      })
      .finally(() => deadline.release());
  });
  // Longer than the clients' keep-alive so that the server never closes a socket a client is reusing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  async function handle(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    if (options.before?.(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routes[url.pathname];
    if (route) return route(req, res);
    if (url.pathname !== graphqlPath && !(url.pathname === '/' && wantsHtml(req))) {
      return sendJson(res, 404, { errors: [{ message: `Not found: GraphQL is served at ${graphqlPath}` }] });
    }

    // From here on a GraphQL request: counted, traced and logged however it ends.
    const request = options.telemetry && new RequestTelemetry(options.telemetry, req);
    if (request) res.once('close', () => request.finish(res.writableFinished ? res.statusCode : 499));
    const body = await readBody(req, maxBodyBytes);
    if (body === CUT_SHORT) return;
    if (body === TOO_LARGE) {
      return sendJson(res, 413, {
        errors: [
          {
            message: `Request body exceeds ${maxBodyBytes} bytes`,
            extensions: { code: 'PAYLOAD_TOO_LARGE' },
          },
        ],
      });
    }
    let parsed: unknown = body;
    if (req.method === 'POST' && isJson(req) && body.length > 0) {
      try {
        parsed = JSON.parse(body);
      } catch {
        return sendJson(res, 400, {
          errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
        });
      }
    }

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const execute = () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: parsed },
        context: request
          ? async () => {
              try {
                const value = await options.context(req, signal);
                request.bind(value);
                return value;
              } catch (error) {
                request.refused(error);
                throw error;
              }
            }
          : () => options.context(req, signal),
      });
    const response = await (request ? request.run(execute) : execute());

    res.statusCode = response.status ?? 200;
    for (const [key, value] of response.headers) res.setHeader(key, value);
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}${graphqlPath}`,
    port,
    server,
    drain: () => {
      draining = true;
      running.forEach(hangUpAfter);
    },
    close: () =>
      new Promise<void>((resolve) => {
        draining = true;
        running.forEach(hangUpAfter);
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

const TOO_LARGE = Symbol('too large');
const CUT_SHORT = Symbol('cut short');

function readBody(
  req: IncomingMessage,
  limit: number,
): Promise<string | typeof TOO_LARGE | typeof CUT_SHORT> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.resolve(TOO_LARGE);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let exceeded = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) exceeded = true;
      if (!exceeded) chunks.push(chunk);
    });
    req.on('end', () => resolve(exceeded ? TOO_LARGE : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    // A caller that hangs up mid-body sends no 'end'; without this the request would wait forever.
    req.on('close', () => {
      if (!req.complete) resolve(CUT_SHORT);
    });
  });
}

function isJson(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().includes('json');
}

function wantsHtml(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}

export function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
