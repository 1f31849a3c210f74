import { badUserInput } from '@clusterpolisee/kit';

/** What the SDL's Money carries: `amount` is a decimal string so that no client rounds it. */
export interface Money {
  amount: string;
  currency: string;
}

/** Up to twelve whole digits keeps every amount, in cents, far inside Number's exact integers. */
const DECIMAL = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

/**
 * Reads a decimal amount such as `203500.5` as integer cents (20350050), from its digits alone:
 * going through a float would turn some two-decimal amounts into a cent more or less.
 */
export function parseCents(field: string, value: string): number {
  const match = DECIMAL.exec(value);
  if (!match) {
    throw badUserInput(
      field,
      `must be a decimal amount with at most two decimals and no sign, e.g. "203500.00" (got "${value}")`,
    );
  }
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(2, '0');
  return Number(whole) * 100 + Number(fraction);
}

/** Writes integer cents as a decimal with two places: 518635200 is `5186352.00`. */
export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error(`Money must be stored as integer cents (got ${cents})`);
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

export function money(cents: number, currency: string): Money {
  return { amount: formatCents(cents), currency };
}

/**
 * `numerator / denominator` as a decimal with `places` places, rounded half up, computed in
 * integers from exact cents (BigInt, since cents × 10^places may pass Number's exact range).
 * Null for a zero denominator: a rate of nothing is undefined, not zero.
 */
export function exactRatio(numerator: number, denominator: number, places = 4): string | null {
  if (denominator === 0) return null;
  const scale = 10n ** BigInt(places);
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  const scaled = (2n * n * scale + d) / (2n * d);
  const whole = scaled / scale;
  const fraction = String(scaled % scale).padStart(places, '0');
  return `${whole}.${fraction}`;
}
