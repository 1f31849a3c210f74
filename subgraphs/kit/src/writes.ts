import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/mongodb';
import type { GraphQLError } from 'graphql';

/**
 * Flushes a new record. Resolvers check for an existing one first, to answer with a clear
 * CONFLICT; this covers the race where another request inserts the same id between that check
 * and this write, which the unique `_id` refuses and which must not surface as an internal error.
 */
export async function flushNew(em: EntityManager, duplicate: () => GraphQLError): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw duplicate();
    throw error;
  }
}
