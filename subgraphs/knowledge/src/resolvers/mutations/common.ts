import { randomBytes } from 'node:crypto';
import { requiredText, slugId } from '@clusterpolisee/kit';
import { nameFields } from '../../entities';
import type { Loaders } from '../../loaders';
import { liveWorkingGroup, SOURCE_MAX } from '../../validation';

/**
 * A readable id for a new record, `gp-it-cluster-vouchers-3f9a1c`: the slug says what it is, the
 * random tail keeps two records of the same title apart (titles are not unique, codes are).
 */
export function newId(prefix: string, ...parts: string[]): string {
  return `${slugId(prefix, ...parts).slice(0, 70)}-${randomBytes(3).toString('hex')}`;
}

export function source(value: string | null | undefined, field = 'input.source'): string {
  return requiredText(field, value, { max: SOURCE_MAX });
}

/** The fields derived from a record's new name, none when the name is left as it is. */
export const renamed = (name: string | undefined) => (name === undefined ? {} : nameFields(name));

/**
 * The working group a record moves to, which must be current; a record that stays in its group
 * keeps it even once that group is archived.
 */
export async function groupChange(
  field: string,
  code: string,
  stored: string | null | undefined,
  loaders: Pick<Loaders, 'workingGroup'>,
): Promise<string> {
  return code === stored ? code : (await liveWorkingGroup(field, code, loaders))._id;
}
