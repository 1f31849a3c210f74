// The per-request context of the gateway: who calls (from the verified token), from where, and
// the request ids that travel on to the subgraphs.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  acceptableRequestId,
  CLIENT_REQUEST_ID_HEADER,
  REQUEST_ID_HEADER,
  type Identity,
} from '@clusterpolisee/kit/auth';
import type { TokenVerifier } from './auth/tokens';

export { CLIENT_REQUEST_ID_HEADER, REQUEST_ID_HEADER };

export type GatewayContext = {
  /** The caller, from its verified token; the anonymous identity when it sent none. */
  identity: Identity;
  /**
   * The gateway's own id of the request, always a fresh UUID: sent to every subgraph (and signed
   * as the forwarded identity's `jti`), recorded in the audit trail and returned to the caller.
   */
  requestId: string;
  /**
   * The caller's own `x-request-id` when it looks sane: its label, unverified and possibly shared
   * by many requests, so kept apart from `requestId` (subgraphs get it as `x-client-request-id`).
   */
  clientRequestId?: string;
  /** The client's address (see GATEWAY_TRUST_PROXY_HOPS): the rate-limit key of anonymous callers. */
  clientAddress: string;
  /** The identity signed for each subgraph, so that one request signs at most once per subgraph. */
  signedIdentities: Map<string, Promise<string>>;
};

export interface ContextOptions {
  verifyToken: TokenVerifier;
  /** Proxies in front of the gateway that append to `X-Forwarded-For`; 0 trusts none. */
  trustProxyHops: number;
}

/**
 * Builds the context of one HTTP request. A bad token throws (HTTP 401) before Apollo parses the
 * operation, so nothing reaches a subgraph on a refused request.
 */
export async function gatewayContext(req: IncomingMessage, options: ContextOptions): Promise<GatewayContext> {
  const clientRequestId = acceptableRequestId(req.headers[REQUEST_ID_HEADER]);
  const identity = await options.verifyToken(req.headers.authorization);
  return {
    identity,
    requestId: randomUUID(),
    ...(clientRequestId ? { clientRequestId } : {}),
    clientAddress: clientAddress(req, options.trustProxyHops),
    signedIdentities: new Map(),
  };
}

/**
 * The address of the client: the connection's peer, or with `hops` trusted proxies the entry
 * that many places from the right of `X-Forwarded-For` (entries further left are the client's
 * own claims and could be forged).
 */
export function clientAddress(req: IncomingMessage, hops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (hops === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return chain[chain.length - hops] ?? chain[0] ?? peer;
}
