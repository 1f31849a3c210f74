import { badUserInput, dateInProjectPeriod, optionalText, optionalUrl } from '@clusterpolisee/kit';
import type { FundingSource, ProgrammeStatus } from './entities';

/** A date inside the project's period, if the hub knows that period (the kit keeps the periods). */
export function dateInProject(field: string, value: string, projectId: string): Date {
  return dateInProjectPeriod(field, value, projectId);
}

/** Greece is GR in ISO 3166 but EL in NUTS; every other partner country uses its ISO code. */
const NUTS_PREFIX: Record<string, string> = { GR: 'EL' };

export function nutsRegion(field: string, value: string | null | undefined, countryCode: string) {
  const code = optionalText(field, value, { max: 5 });
  if (code === undefined) return undefined;
  if (!/^[A-Z]{2}[0-9A-Z]{0,3}$/.test(code)) {
    throw badUserInput(field, `must be a NUTS code such as "ITI3" (got "${code}")`);
  }
  const prefix = NUTS_PREFIX[countryCode] ?? countryCode;
  if (!code.startsWith(prefix)) {
    throw badUserInput(field, `must be a NUTS code of the organisation's country, starting with "${prefix}"`);
  }
  return code;
}

export function website(field: string, value: string | null | undefined) {
  return optionalUrl(field, value, { max: 500 });
}

export function email(field: string, value: string | null | undefined) {
  return optionalText(field, value, {
    max: 254,
    pattern: {
      regex: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
      description: 'an e-mail address such as "name@example.org"',
    },
  });
}

export function phone(field: string, value: string | null | undefined) {
  return optionalText(field, value, {
    max: 20,
    pattern: {
      regex: /^\+?[0-9 ()-]{6,20}$/,
      description: 'a phone number of digits, spaces, brackets and dashes, e.g. "+39 071 806 1"',
    },
  });
}

export const PARTNER_NUMBER = {
  regex: /^(LP|PP[0-9]{1,2})$/,
  description: '"LP" for the lead partner or "PP" and a number, e.g. "PP2"',
};

/** Where a partner's funds come from unless the caller says otherwise. */
export const FUNDING_BY_STATUS: Record<ProgrammeStatus, FundingSource> = {
  EU_MEMBER: 'ERDF',
  IPA: 'IPA',
  ENPI: 'ENPI',
};
