// The per-request context of the gateway and what of it travels on to the subgraphs.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';

export const REQUEST_ID_HEADER = 'x-request-id';

export type GatewayContext = {
  /** The caller's `authorization` header, forwarded as is (the subgraphs verify it). */
  authorization?: string;
  /** The caller's `x-request-id` when it looks sane, else a fresh UUID; sent to every subgraph. */
  requestId: string;
};

// Ids are logged and echoed: accept only short, printable ones from callers.
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the context of one HTTP request. */
export function gatewayContext(req: IncomingMessage): GatewayContext {
  const incoming = req.headers[REQUEST_ID_HEADER];
  const requestId =
    typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  const authorization = req.headers.authorization;
  return authorization ? { authorization, requestId } : { requestId };
}

/**
 * `willSendRequest` of the subgraph data sources: copies the caller's identity and the request id
 * onto the subgraph request. Health checks run without a caller and send neither.
 */
export function forwardHeaders({
  request,
  context,
}: GraphQLDataSourceProcessOptions<Partial<GatewayContext>>): void {
  const headers = request.http?.headers;
  if (!headers) return;
  if (context.authorization) headers.set('authorization', context.authorization);
  if (context.requestId) headers.set(REQUEST_ID_HEADER, context.requestId);
}
