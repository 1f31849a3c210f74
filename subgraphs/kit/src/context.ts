import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { EntityManager } from '@mikro-orm/mongodb';
import type { Identity } from './auth/roles';
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
  requestId: string;
  identity: Identity;
}

export type LoadersFactory<TLoaders> = (em: EntityManager) => TLoaders;

export function createContext<TLoaders>(
  rootEm: EntityManager,
  loaders: LoadersFactory<TLoaders>,
  subgraph: string,
  identity: Identity,
  req?: IncomingMessage,
): SubgraphContext<TLoaders> {
  const em = rootEm.fork();
  const header = req?.headers['x-request-id'];
  const requestId = typeof header === 'string' ? header : randomUUID();
  bindRequestScope(em, { subgraph, identity, requestId });
  return { em, loaders: loaders(em), requestId, identity };
}
