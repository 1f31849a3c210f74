/**
 * Facts about ClusterPoliSEE that several subgraphs validate against. They live here once because
 * a subgraph cannot read another's data while it checks an input: the projects subgraph owns the
 * project record, and the seed writes that record from these very constants, so the record and
 * every other subgraph's checks agree. Each fact names its public source.
 */
import { badUserInput } from './errors';
import { formatIsoDate, isoDate, optionalText, requiredText, type TextRule } from './validation';

export interface ProjectPeriod {
  /** `YYYY-MM-DD`, first day, inclusive. */
  start: string;
  /** `YYYY-MM-DD`, last day, inclusive. */
  end: string;
}

export const CLUSTERPOLISEE_ID = 'clusterpolisee';

/**
 * Source: the project description, 2012-05-01 to 2014-10-30 (30 months). The final activity
 * report writes "April 2012 to December 2014", which suggests an extension, but no document gives
 * its end date; the hub keeps the documented dates (its start from the same description, not the
 * report's April), so no subgraph accepts a date only an inference supports. A change here changes
 * the seeded project record too.
 */
export const CLUSTERPOLISEE_PERIOD: ProjectPeriod = { start: '2012-05-01', end: '2014-10-30' };

/**
 * The period each project's dated work must fall in, by project id. A project not listed gets no
 * period check in the subgraphs that do not own projects: its dates need only be real dates.
 */
export const PROJECT_PERIODS: Readonly<Record<string, ProjectPeriod>> = {
  [CLUSTERPOLISEE_ID]: CLUSTERPOLISEE_PERIOD,
};

/** The one wording of a date outside a project's period, whichever subgraph refuses it. */
export function outsidePeriodMessage(period: ProjectPeriod, got: string): string {
  return `must be inside the project period ${period.start} to ${period.end} (got ${got})`;
}

/** A `YYYY-MM-DD` date inside the project's period, both ends included, if the hub knows that period. */
export function dateInProjectPeriod(field: string, value: string, projectId = CLUSTERPOLISEE_ID): Date {
  const date = isoDate(field, value);
  const period = PROJECT_PERIODS[projectId];
  const day = formatIsoDate(date);
  if (period && (day < period.start || day > period.end))
    throw badUserInput(field, outsidePeriodMessage(period, day));
  return date;
}

/**
 * A thematic working group's code. Source: the project description, six groups written WG1 to
 * WG6, without a leading zero, so that one group has one code (`WG07` cannot sit beside `WG7`; the
 * knowledge subgraph already refused it, communications did not). Codes up to WG99 stay open
 * because the knowledge subgraph, which owns the groups, creates new ones: which codes exist is its
 * data, read through the graph. WG0 stays accepted as both subgraphs accepted it.
 */
export const WORKING_GROUP_CODE: NonNullable<TextRule['pattern']> = {
  regex: /^WG(0|[1-9][0-9]?)$/,
  description: '"WG" followed by a number from 0 to 99 without leading zero, such as "WG7"',
};

const WORKING_GROUP_CODE_RULE: TextRule = { pattern: WORKING_GROUP_CODE };

export function workingGroupCode(field: string, value: string | null | undefined): string {
  return requiredText(field, value, WORKING_GROUP_CODE_RULE);
}

export function optionalWorkingGroupCode(
  field: string,
  value: string | null | undefined,
): string | undefined {
  return optionalText(field, value, WORKING_GROUP_CODE_RULE);
}

/**
 * The longest id of an organisation. Subgraphs other than partners check a reference to one for
 * form only: they cannot read the partners database, and the gateway resolves the reference.
 */
export const ORGANISATION_ID_MAX = 100;

export function organisationIdReference(field: string, value: string | null | undefined): string {
  return requiredText(field, value, { max: ORGANISATION_ID_MAX });
}
