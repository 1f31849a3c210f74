import { badUserInput } from './errors';
import { ISO_COUNTRY, requiredText } from './validation';

/**
 * The ISO 3166-1 alpha-2 codes officially assigned (249), plus XK: user-assigned for Kosovo, yet
 * used by the EU and in South East European programmes. Written out rather than asked of Intl,
 * which also names reserved and withdrawn codes (UK, EU, YU) and varies with ICU builds. Greece
 * is GR here, as in ISO (the EU's own lists write EL).
 */
export const ISO_COUNTRY_CODES: ReadonlySet<string> = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV ' +
    'BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ' +
    'ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE ' +
    'IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY ' +
    'MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU ' +
    'NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM ' +
    'SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE ' +
    'VG VI VN VU WF WS XK YE YT ZA ZM ZW'
  ).split(' '),
);

/** An assigned ISO 3166-1 alpha-2 code in capitals, e.g. `HR`; `hr`, `XX`, `EL` and `UK` are refused. */
export function countryCode(field: string, value: string | null | undefined): string {
  const code = requiredText(field, value, { max: 2, pattern: ISO_COUNTRY });
  if (!ISO_COUNTRY_CODES.has(code)) {
    throw badUserInput(field, `"${code}" is not an assigned ISO 3166-1 alpha-2 country code`);
  }
  return code;
}
