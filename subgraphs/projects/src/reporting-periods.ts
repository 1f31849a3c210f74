import type { RequiredEntityData } from '@mikro-orm/mongodb';
import { slugId } from '@clusterpolisee/kit';
import type { ReportingPeriod } from './entities';

/** How long a reporting period of an EU cohesion project usually is. */
export const REPORTING_PERIOD_MONTHS = 6;

/**
 * The provenance of periods that `createProject` derives from a project's dates: no source gave
 * them, the hub cut the project into six-month periods.
 */
export const DERIVED_PERIODS_SOURCE = 'derived from the project dates: six-month reporting periods';

const DAY_MS = 86_400_000;

/**
 * `date` plus `months` calendar months, the day kept where the month has it and otherwise the
 * month's last day (31 August + 6 months is 28 or 29 February), so that periods never drift.
 */
function addMonths(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay)));
}

/**
 * The reporting periods of a project from `start` to `end` (UTC midnights, both days included):
 * period n starts (n − 1) × `months` months after the start and ends the day before the next
 * one, the last one with the project. The one implementation, for `createProject` and the seed.
 * Ids are `<projectId>-p<n>`.
 */
export function reportingPeriods(
  projectId: string,
  start: Date,
  end: Date,
  source: string,
  months = REPORTING_PERIOD_MONTHS,
): RequiredEntityData<ReportingPeriod>[] {
  const rows: RequiredEntityData<ReportingPeriod>[] = [];
  let from = start;
  for (let number = 1; from <= end; number++) {
    const next = addMonths(start, number * months);
    const dayBefore = new Date(next.getTime() - DAY_MS);
    rows.push({
      _id: slugId(projectId, `p${number}`),
      projectId,
      number,
      startDate: from,
      endDate: dayBefore < end ? dayBefore : end,
      source,
    });
    from = next;
  }
  return rows;
}
