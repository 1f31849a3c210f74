import type { EntityManager, EntityName } from '@mikro-orm/mongodb';
import {
  badUserInput,
  formatIsoDate,
  isoDate,
  outsidePeriodMessage,
  requiredText,
} from '@clusterpolisee/kit';
import type { Project } from './entities';

/**
 * The alphabetic codes of the currencies in ISO 4217 List One as of 2026: the money of countries
 * and currency unions. Left out are the codes that are not money a budget is kept in (fund codes
 * such as BOV or CHE, precious metals XAU..., bond-market units XBA..., XDR, XSU, XUA, the testing
 * code XTS and XXX, "no currency") and withdrawn ones (HRK, which the euro replaced in Croatia in
 * 2023, BGN, which it replaced in Bulgaria in 2026; ANG, replaced by XCG; ZWL, by ZWG; SLL, by
 * SLE; CUC).
 * Written out rather than taken from `Intl.supportedValuesOf('currency')`, which is ICU's list,
 * not ISO's: it varies with the ICU build and version, still names withdrawn codes (HRK, BGN, ANG,
 * CUC, SLL, ZWL) and, in Node 20, lacks VED.
 */
export const ISO_CURRENCY_CODES: ReadonlySet<string> = new Set(
  (
    'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD ' +
    'CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD ' +
    'GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD ' +
    'KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO ' +
    'NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE ' +
    'SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND ' +
    'VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG'
  ).split(' '),
);

/** A current ISO 4217 currency code in capitals, e.g. `EUR`; `eur`, `XYZ` and `HRK` are refused. */
export function currencyCode(field: string, value: string | null | undefined): string {
  const code = requiredText(field, value, {
    max: 3,
    pattern: { regex: /^[A-Z]{3}$/, description: 'an ISO 4217 currency code such as "EUR"' },
  });
  if (!ISO_CURRENCY_CODES.has(code)) {
    throw badUserInput(field, `"${code}" is not a current ISO 4217 currency code such as "EUR"`);
  }
  return code;
}

/** A `YYYY-MM-DD` date inside the project's period as its record says, both ends included. */
export function dateInProject(field: string, value: string, project: Project): Date {
  const date = isoDate(field, value);
  if (date < project.startDate || date > project.endDate) {
    const period = { start: formatIsoDate(project.startDate), end: formatIsoDate(project.endDate) };
    throw badUserInput(field, outsidePeriodMessage(period, formatIsoDate(date)));
  }
  return date;
}

/** Today at UTC midnight, how dates are stored. */
export function today(): Date {
  return isoDate('today', new Date().toISOString().slice(0, 10));
}

/** The furthest time zone from UTC is UTC+14 (Kiribati's Line Islands). */
const LATEST_ZONE_OFFSET_MS = 14 * 3_600_000;

/**
 * Refuses a date after today. Today is taken where the calendar is furthest ahead (UTC+14), so
 * that nobody's own today is refused as the future because the server keeps UTC.
 */
export function notInFuture(field: string, date: Date): Date {
  const latestToday = isoDate(
    'today',
    new Date(Date.now() + LATEST_ZONE_OFFSET_MS).toISOString().slice(0, 10),
  );
  if (date > latestToday) {
    throw badUserInput(
      field,
      `must not be in the future: today is ${formatIsoDate(latestToday)} at the latest, anywhere (got ${formatIsoDate(date)})`,
    );
  }
  return date;
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
