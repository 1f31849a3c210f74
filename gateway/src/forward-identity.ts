// What a subgraph learns about the caller: never the caller's token (partners run subgraphs of
// their own and must not be able to replay it), only the gateway's signed statement of who calls.
import { randomUUID } from 'node:crypto';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  ANONYMOUS,
  CLIENT_REQUEST_ID_HEADER,
  IDENTITY_HEADER,
  IDENTITY_TTL_SECONDS,
  signForwardedIdentity,
  type IdentitySigningKey,
} from '@clusterpolisee/kit/auth';
import { REQUEST_ID_HEADER, type GatewayContext } from './context';

export interface IdentityForwarderOptions {
  key: IdentitySigningKey;
  /**
   * How long one signed anonymous identity is reused for a subgraph. Default 30 s: half the
   * signature's 60 s lifetime, so that a reused one still has 30 s left (more than a subgraph
   * call's timeout, and the subgraphs' clock tolerance).
   */
  anonymousReuseMs?: number;
}

export type WillSendRequest = (
  options: GraphQLDataSourceProcessOptions<Partial<GatewayContext>>,
) => Promise<void>;

/**
 * `willSendRequest` for the data source of one subgraph: sets `x-hub-identity` signed for that
 * subgraph (audience = its name), `x-request-id` (the gateway's id of the request) and, when the
 * caller sent an id of its own, `x-client-request-id`. A caller's identity is signed once per
 * request and subgraph (a query plan may call one subgraph many times) with the gateway's request
 * id as `jti`: subgraphs take the request id of a signed-in caller from there, never from a header.
 * Anonymous identities are all alike, so one signature per subgraph serves every anonymous request
 * and the gateway's own calls (health checks) for `anonymousReuseMs`; their `jti` is not a request
 * id, and `x-request-id` is what ties a call to its request.
 */
export function identityForwarder(options: IdentityForwarderOptions): (subgraph: string) => WillSendRequest {
  const reuseMs = options.anonymousReuseMs ?? 30_000;
  if (reuseMs >= IDENTITY_TTL_SECONDS * 1000) {
    throw new Error(
      `anonymousReuseMs must be shorter than the identity's ${IDENTITY_TTL_SECONDS} s lifetime`,
    );
  }
  const anonymous = new Map<string, { signature: Promise<string>; until: number }>();

  const anonymousSignature = (subgraph: string): Promise<string> => {
    const now = Date.now();
    const cached = anonymous.get(subgraph);
    if (cached && cached.until > now) return cached.signature;
    const signature = signForwardedIdentity(ANONYMOUS, options.key, subgraph, randomUUID());
    anonymous.set(subgraph, { signature, until: now + reuseMs });
    // A failed signature must not be served from the cache.
    signature.catch(() => anonymous.delete(subgraph));
    return signature;
  };

  return (subgraph) =>
    async ({ request, context }) => {
      const headers = request.http?.headers;
      if (!headers) return;
      const { identity, requestId, clientRequestId, signedIdentities } = context;
      let signature: Promise<string>;
      if (!identity || identity.role === 'anonymous' || !requestId || !signedIdentities) {
        signature = anonymousSignature(subgraph);
      } else {
        signature =
          signedIdentities.get(subgraph) ?? signForwardedIdentity(identity, options.key, subgraph, requestId);
        signedIdentities.set(subgraph, signature);
      }
      headers.set(IDENTITY_HEADER, await signature);
      if (requestId) headers.set(REQUEST_ID_HEADER, requestId);
      if (clientRequestId) headers.set(CLIENT_REQUEST_ID_HEADER, clientRequestId);
    };
}
