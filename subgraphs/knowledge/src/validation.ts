import {
  badUserInput,
  dateInProjectPeriod,
  ORGANISATION_ID_MAX,
  optionalUrl as kitOptionalUrl,
  organisationIdReference,
  requiredText,
  WORKING_GROUP_CODE,
} from '@clusterpolisee/kit';
import type { WorkingGroup } from './entities';
import type { Loaders } from './loaders';

/** Hub-wide rules from the kit, under the names this subgraph's resolvers import. */
export { ORGANISATION_ID_MAX, WORKING_GROUP_CODE };

export const TITLE_MAX = 300;
export const TEXT_MAX = 5000;
export const SOURCE_MAX = 500;

export function organisationId(field: string, value: string | null | undefined): string {
  return organisationIdReference(field, value);
}

export function optionalOrganisationId(field: string, value: string | null | undefined): string | null {
  return value == null ? null : organisationId(field, value);
}

/** The kit's link check, with null for "none" so that an update can clear a stored link. */
export function optionalUrl(field: string, value: string | null | undefined): string | null {
  return kitOptionalUrl(field, value) ?? null;
}

/** A YYYY-MM-DD date inside the ClusterPoliSEE period. */
export function projectDate(field: string, value: string | null | undefined): Date {
  return dateInProjectPeriod(field, requiredText(field, value));
}

/** A year a policy can plausibly be in force. */
export function year(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1950 || value > 2100)
    throw badUserInput(field, `must be a year from 1950 to 2100 (got ${value})`);
  return value;
}

/** A list of short texts, trimmed, blanks refused, duplicates dropped keeping the first. */
export function textList(
  field: string,
  values: readonly string[] | null | undefined,
  { max = 200, maxCount = 50 }: { max?: number; maxCount?: number } = {},
): string[] {
  const list = values ?? [];
  if (list.length > maxCount)
    throw badUserInput(field, `must have at most ${maxCount} entries (got ${list.length})`);
  return [
    ...new Set(
      list.map((value, index) => {
        const text = value.trim();
        if (text === '') throw badUserInput(field, `entry ${index + 1} must not be empty`);
        if (text.length > max)
          throw badUserInput(field, `entry ${index + 1} must be at most ${max} characters`);
        return text;
      }),
    ),
  ];
}

/**
 * The code of a working group that exists and is not archived, looked up through the request's
 * loader. New references to an archived group are refused: it is kept only for what already points to it.
 */
export async function liveWorkingGroup(
  field: string,
  value: string | null | undefined,
  loaders: Pick<Loaders, 'workingGroup'>,
): Promise<WorkingGroup> {
  const code = requiredText(field, value, { max: 10 });
  const group = await loaders.workingGroup.load(code);
  if (!group) throw badUserInput(field, `no working group has the code "${code}"`);
  if (group.archived) throw badUserInput(field, `working group ${code} is archived; pick a current one`);
  return group;
}

/** For update inputs: a field left out is unchanged, so only a given one is checked. */
export function given<T>(value: T | null | undefined): value is T | null {
  return value !== undefined;
}
