// Which request a subgraph call belongs to, for logs and the audit trail: the gateway's own id,
// and apart from it the label a client chose, which nobody has checked.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { signedRequestIdOf } from './forwarded-identity';
import type { Identity } from './roles';

/** The gateway's id of a request: sent to each subgraph and returned to the caller. */
export const REQUEST_ID_HEADER = 'x-request-id';
/**
 * The id a client sent as its `x-request-id`, passed on under this name so that it is never
 * mistaken for the gateway's: clients choose it freely, and many may choose the same.
 */
export const CLIENT_REQUEST_ID_HEADER = 'x-client-request-id';

// Ids end up in logs, response headers and the audit trail: short and printable only.
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A request id from a header when it looks sane, else undefined. */
export function acceptableRequestId(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && ACCEPTABLE_REQUEST_ID.test(value) ? value : undefined;
}

export interface RequestIds {
  /**
   * The gateway's id of the request. For a signed-in caller it is the `jti` of the verified
   * forwarded identity, so that whoever calls a subgraph directly cannot put an id of their
   * choosing in the audit trail; a header can say otherwise and is ignored. Anonymous
   * signatures are shared by many requests and name none: then the gateway's `x-request-id`
   * header, which only ties log lines together (anonymous callers write nothing), or a fresh id.
   */
  requestId: string;
  /** The client's own label for the request (`x-client-request-id`), unverified; null when none. */
  clientRequestId: string | null;
}

export function requestIdsOf(identity: Identity, headers: IncomingHttpHeaders = {}): RequestIds {
  return {
    requestId:
      signedRequestIdOf(identity) ??
      (identity.role === 'anonymous' ? acceptableRequestId(headers[REQUEST_ID_HEADER]) : undefined) ??
      randomUUID(),
    clientRequestId: acceptableRequestId(headers[CLIENT_REQUEST_ID_HEADER]) ?? null,
  };
}
