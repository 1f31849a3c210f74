import type { EntityManager, EntityName } from '@mikro-orm/mongodb';
import { badUserInput, formatIsoDate, isoDate, requiredText } from '@clusterpolisee/kit';
import type { Project } from './entities';

export function currencyCode(field: string, value: string | null | undefined): string {
  return requiredText(field, value, {
    max: 3,
    pattern: { regex: /^[A-Z]{3}$/, description: 'an ISO 4217 currency code such as "EUR"' },
  });
}

/** A `YYYY-MM-DD` date inside the project's period, both ends included. */
export function dateInProject(field: string, value: string, project: Project): Date {
  const date = isoDate(field, value);
  if (date < project.startDate || date > project.endDate) {
    throw badUserInput(
      field,
      `must be inside the period of ${project.acronym}, ${formatIsoDate(project.startDate)} to ${formatIsoDate(project.endDate)} (got ${formatIsoDate(date)})`,
    );
  }
  return date;
}

/** Today at UTC midnight, how dates are stored. */
export function today(): Date {
  return isoDate('today', new Date().toISOString().slice(0, 10));
}

/** A sum of integer cents computed in the database ($match, then $group with $sum). */
export async function sumCents<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  match: Record<string, unknown>,
  field: string,
): Promise<number> {
  const [row] = (await em.aggregate(entity, [
    { $match: match },
    { $group: { _id: null, cents: { $sum: `$${field}` } } },
  ])) as { cents: number }[];
  return row?.cents ?? 0;
}
