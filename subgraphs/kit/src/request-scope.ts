import type { EntityManager } from '@mikro-orm/mongodb';
import { ANONYMOUS, type Identity } from './auth/roles';

/**
 * Who a request's EntityManager fork works for. The kit's write helpers receive only `em`, so
 * the record rules and the audit trail find the caller here instead of every mutation passing
 * it along (and a mutation that forgot to would silently skip them).
 */
export interface RequestScope {
  subgraph: string;
  identity: Identity;
  requestId: string;
  /** The client's own, unverified id of the request; null when it sent none. */
  clientRequestId?: string | null;
}

const scopes = new WeakMap<EntityManager, RequestScope>();

export function bindRequestScope(em: EntityManager, scope: RequestScope): void {
  scopes.set(em, scope);
}

/**
 * The scope of a request's fork. Writes outside a request (seeding, maintenance scripts) have
 * none; they act as `system`, which record rules let through and the audit trail names.
 */
export function requestScopeOf(em: EntityManager): RequestScope | undefined {
  return scopes.get(em);
}

export const SYSTEM: Identity = { ...ANONYMOUS, subject: 'system', role: 'admin', scopes: new Set() };
