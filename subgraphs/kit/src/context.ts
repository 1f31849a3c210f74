import type { IncomingMessage } from 'node:http';
import type { EntityManager } from '@mikro-orm/mongodb';
import { requestIdsOf } from './auth/request-ids';
import type { Identity } from './auth/roles';
import { bindSignal } from './deadline';
import { bindRequestScope } from './request-scope';

/**
 * What every resolver receives. The EntityManager is a fork made for this request alone, so
 * its identity map never serves one caller's data to another, and the loaders are new for
 * the same reason: they batch and cache within one request only. `identity` is the caller as
 * the gateway signed it.
 */
export interface SubgraphContext<TLoaders> {
  em: EntityManager;
  loaders: TLoaders;
  /** The gateway's id of the request (see `requestIdsOf`). */
  requestId: string;
  /** The id the client chose for the request, unverified: a label, never a key. */
  clientRequestId: string | null;
  identity: Identity;
  /**
   * Aborts when the caller hangs up or the request's time budget is up. Every field and the
   * kit's loaders, pages and writes stop on it; pass it on to any other slow work (a `fetch`).
   */
  signal: AbortSignal;
}

export type LoadersFactory<TLoaders> = (em: EntityManager) => TLoaders;

export function createContext<TLoaders>(
  rootEm: EntityManager,
  loaders: LoadersFactory<TLoaders>,
  subgraph: string,
  identity: Identity,
  req?: IncomingMessage,
  signal: AbortSignal = new AbortController().signal,
): SubgraphContext<TLoaders> {
  const em = rootEm.fork();
  const { requestId, clientRequestId } = requestIdsOf(identity, req?.headers);
  bindRequestScope(em, { subgraph, identity, requestId, clientRequestId });
  bindSignal(em, signal);
  return { em, loaders: loaders(em), requestId, clientRequestId, identity, signal };
}
