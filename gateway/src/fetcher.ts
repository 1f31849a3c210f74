// How the gateway talks HTTP to subgraphs: one undici Agent (keep-alive connection pools, bounded
// per origin) and, per subgraph, a fetcher for RemoteGraphQLDataSource that enforces a timeout and
// a maximum response size.
import { STATUS_CODES } from 'node:http';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Agent, Headers, Response } from 'undici';
import type { SubgraphCallObserver } from './plugins/telemetry-subgraph-calls';

/** The fetcher signature RemoteGraphQLDataSource accepts (`@apollo/utils.fetcher`'s `Fetcher`). */
export type SubgraphFetcher = RemoteGraphQLDataSource['fetcher'];

export interface SubgraphAgentOptions {
  /** Most open connections per subgraph origin; further requests queue. Default 64. */
  maxConnections?: number;
  /** How long an idle connection is kept for reuse. Default 30 s (below the kit server's 65 s). */
  keepAliveTimeoutMs?: number;
}

/** The connection pool shared by all subgraph calls. Close it (`agent.close()`) on shutdown. */
export function createSubgraphAgent(options: SubgraphAgentOptions = {}): Agent {
  const keepAliveTimeout = options.keepAliveTimeoutMs ?? 30_000;
  return new Agent({
    connections: options.maxConnections ?? 64,
    keepAliveTimeout,
    // A server's `Keep-Alive: timeout=` hint may shorten this, never stretch it past our choice.
    keepAliveMaxTimeout: keepAliveTimeout,
  });
}

export interface SubgraphFetcherOptions {
  /** The subgraph's name, used in error messages. */
  subgraph: string;
  agent: Agent;
  /** Longest time for one call, response body included. */
  timeoutMs: number;
  /**
   * The variable that set `timeoutMs`, named in the timeout error: `SUBGRAPH_TIMEOUT_MS` (default)
   * or the subgraph's own `SUBGRAPH_TIMEOUT_MS_<NAME>`.
   */
  timeoutVariable?: string;
  /** Largest response body accepted, in bytes; a larger one is cut off and refused. Default 16 MiB. */
  maxResponseBytes?: number;
  /**
   * The variable that set `maxResponseBytes`, named in the error: `SUBGRAPH_MAX_RESPONSE_BYTES`
   * (default) or the subgraph's own `SUBGRAPH_MAX_RESPONSE_BYTES_<NAME>`.
   */
  maxResponseBytesVariable?: string;
  /** Telemetry of each call (span, `traceparent`, metrics; see plugins/telemetry-subgraph-calls.ts). Default none. */
  observe?: SubgraphCallObserver;
}

/** 16 MiB: far above the largest answer a legitimate operation gets (a 100-row page is tens of KB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * A fetcher for one subgraph. It reads the whole response body before returning, so that the
 * timeout covers the body too and every failure surfaces here as a GraphQL error naming the
 * subgraph: `SUBGRAPH_TIMEOUT` after `timeoutMs`, `SUBGRAPH_UNAVAILABLE` when it cannot be reached
 * (with the system's code, e.g. ECONNREFUSED, but not the subgraph's address), and
 * `SUBGRAPH_RESPONSE_TOO_LARGE` as soon as the body (or its announced length) passes
 * `maxResponseBytes`: the body is counted while it streams in and the call aborted there, so a
 * runaway subgraph never costs the gateway more than that much memory per call.
 */
export function createSubgraphFetcher({
  subgraph,
  agent,
  timeoutMs,
  timeoutVariable = 'SUBGRAPH_TIMEOUT_MS',
  maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES,
  maxResponseBytesVariable = 'SUBGRAPH_MAX_RESPONSE_BYTES',
  observe,
}: SubgraphFetcherOptions): SubgraphFetcher {
  const tooLarge = () =>
    new GraphQLError(
      `Subgraph "${subgraph}" answered more than ${maxResponseBytes} bytes (${maxResponseBytesVariable}); ` +
        'the answer was dropped. Ask for less (smaller pages, fewer fields).',
      { extensions: { code: 'SUBGRAPH_RESPONSE_TOO_LARGE', subgraph } },
    );
  return async (url, init = {}) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const oversized = new AbortController();
    const signal = AbortSignal.any(
      init.signal instanceof AbortSignal
        ? [init.signal, timeout, oversized.signal]
        : [timeout, oversized.signal],
    );
    const target = new URL(url);
    const call = observe?.((init.headers ?? {}) as Record<string, string>);
    try {
      const response = await agent.request({
        origin: target.origin,
        path: target.pathname + target.search,
        method: (init.method ?? 'GET') as 'GET',
        headers: call?.headers ?? init.headers ?? {},
        body: init.body ?? null,
        signal,
      });
      const announced = Number(response.headers['content-length']);
      if (Number.isFinite(announced) && announced > maxResponseBytes) {
        oversized.abort();
        response.body.destroy();
        throw tooLarge();
      }
      const chunks: Buffer[] = [];
      let received = 0;
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        received += chunk.length;
        if (received > maxResponseBytes) {
          // Aborting closes the connection: the subgraph's remaining bytes are never read.
          oversized.abort();
          response.body.destroy();
          throw tooLarge();
        }
        chunks.push(chunk);
      }
      const body = Buffer.concat(chunks, received);
      call?.done(response.statusCode >= 400 ? 'error' : 'ok', response.statusCode);
      return toResponse(url, response.statusCode, response.headers, body);
    } catch (error) {
      call?.done(timeout.aborted && !oversized.signal.aborted ? 'timeout' : 'error');
      if (oversized.signal.aborted) throw tooLarge();
      if (timeout.aborted) {
        throw new GraphQLError(
          `Subgraph "${subgraph}" did not answer within ${timeoutMs} ms (${timeoutVariable}).`,
          { extensions: { code: 'SUBGRAPH_TIMEOUT', subgraph } },
        );
      }
      // Callers see the subgraph and the kind of failure, not internal addresses.
      const code = (error as { code?: unknown } | null)?.code;
      const reason = typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown error';
      throw new GraphQLError(`Subgraph "${subgraph}" could not be reached (${reason}).`, {
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph },
      });
    }
  };
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function toResponse(
  url: string,
  status: number,
  rawHeaders: Record<string, string | string[] | undefined>,
  body: Buffer,
): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(rawHeaders)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const response = new Response(NULL_BODY_STATUSES.has(status) ? null : body, {
    status,
    statusText: STATUS_CODES[status] ?? '',
    headers,
  });
  // Error messages of the data source quote the URL; a constructed Response has none of its own.
  Object.defineProperty(response, 'url', { value: url });
  return response;
}
