import { randomBytes } from 'node:crypto';
import type { EntityManager, EntityName } from '@mikro-orm/mongodb';
import { notFound, requiredText, slugId, updateVersioned, type HubRecord } from '@clusterpolisee/kit';
import type DataLoader from 'dataloader';
import { SOURCE_MAX } from '../../validation';

/**
 * A readable id for a new record, `gp-it-cluster-vouchers-3f9a1c`: the slug says what it is, the
 * random tail keeps two records of the same title apart (titles are not unique, codes are).
 */
export function newId(prefix: string, ...parts: string[]): string {
  return `${slugId(prefix, ...parts).slice(0, 70)}-${randomBytes(3).toString('hex')}`;
}

export function source(value: string | null | undefined): string {
  return requiredText('input.source', value, { max: SOURCE_MAX });
}

/** The record an update starts from, for checks across fields (end after start...). */
export async function current<T>(
  loader: DataLoader<string, T | null>,
  typename: string,
  id: string,
): Promise<T> {
  const record = await loader.load(id);
  if (!record) throw notFound(typename, id);
  return record;
}

/** Archiving is an update like any other: versioned, and nothing is ever deleted. */
export function archive<T extends HubRecord>(
  em: EntityManager,
  entity: EntityName<T>,
  typename: string,
  id: string,
  version: number,
): Promise<T> {
  return updateVersioned(em, entity, typename, id, version, { archived: true } as never);
}
