import { badUserInput } from './errors';

/**
 * Input checks for mutations. Each throws BAD_USER_INPUT naming the field, before anything is
 * written, and returns the value normalised (trimmed) so resolvers store exactly what was checked.
 */
export interface TextRule {
  /** Longest accepted length after trimming. Default 500. */
  max?: number;
  /** A pattern the value must match, with a description of it for the message. */
  pattern?: { regex: RegExp; description: string };
}

export function requiredText(field: string, value: string | null | undefined, rule: TextRule = {}): string {
  const text = (value ?? '').trim();
  if (text === '') throw badUserInput(field, 'must not be empty');
  return checkText(field, text, rule);
}

export function optionalText(
  field: string,
  value: string | null | undefined,
  rule: TextRule = {},
): string | undefined {
  const text = (value ?? '').trim();
  return text === '' ? undefined : checkText(field, text, rule);
}

function checkText(field: string, text: string, rule: TextRule): string {
  const max = rule.max ?? 500;
  if (text.length > max) throw badUserInput(field, `must be at most ${max} characters (got ${text.length})`);
  if (rule.pattern && !rule.pattern.regex.test(text))
    throw badUserInput(field, `must be ${rule.pattern.description}`);
  return text;
}

export const ISO_COUNTRY = { regex: /^[A-Z]{2}$/, description: 'an ISO 3166-1 alpha-2 code such as "IT"' };

/** A calendar date `YYYY-MM-DD` that exists (no 31 February), as a UTC Date. */
export function isoDate(field: string, value: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const date = match
    ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
    : undefined;
  if (!date || formatIsoDate(date) !== value.trim()) {
    throw badUserInput(field, `must be a date written YYYY-MM-DD (got "${value}")`);
  }
  return date;
}

/** A Date stored by `isoDate`, written back as `YYYY-MM-DD`. */
export function formatIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * An absolute http(s) link, or undefined when none is given. Other schemes (javascript:, file:,
 * mailto:) and relative paths are refused: the hub's links end up in browsers and spreadsheets.
 */
export function optionalUrl(
  field: string,
  value: string | null | undefined,
  { max = 2000 } = {},
): string | undefined {
  const text = optionalText(field, value, { max });
  if (text === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw badUserInput(
      field,
      `must be an http or https link such as "https://www.example.org/report.pdf" (got "${text}")`,
    );
  }
  return text;
}
