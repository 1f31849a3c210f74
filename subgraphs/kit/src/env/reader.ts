import { ConfigError } from './config-error';

/** The variables a service starts from: `process.env` in production, a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface IntegerRule {
  /** Used when the variable is unset or blank, and after a refusal so that reading goes on. */
  fallback: number;
  min: number;
  max: number;
  /** What to set, completing "set it to ...", e.g. `a port number from 0 to 65535`. */
  what: string;
}

export interface UrlRule {
  /** Accepted schemes, without the colon; default http and https. */
  schemes?: readonly string[];
  /** What to set, completing "set it to ...", e.g. `the subgraph's GraphQL endpoint, e.g. http://...`. */
  what: string;
}

/** A setting of the form `<prefix><NAME>` (one per subgraph), as found in the environment. */
export interface PrefixedSetting {
  /** The variable, e.g. `SUBGRAPH_URL_PARTNERS`. */
  variable: string;
  /** The part after the prefix, e.g. `PARTNERS`. */
  name: string;
  /** The trimmed value, never blank. */
  value: string;
}

/**
 * A whole number written as digits only. `Number()` alone would take `1e3`, `0x10`, `12.0` and
 * ` ` (0), which an operator did not mean as a count; `parseInt` would take `12abc`.
 */
export function wholeNumber(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Whether `text` is an absolute URL with one of `schemes` (no colon). */
export function isUrl(text: string, schemes: readonly string[] = ['http', 'https']): boolean {
  try {
    return schemes.includes(new URL(text).protocol.slice(0, -1));
  } catch {
    return false;
  }
}

/**
 * Reads settings from an environment with one set of rules, and collects what is wrong instead of
 * stopping at the first problem: call `check()` once everything is read. Values are trimmed, and a
 * blank value counts as unset (a `KEY=` line in an env file or a compose file means "default").
 */
export class EnvReader {
  private readonly found: string[] = [];

  constructor(readonly env: Env) {}

  /** The problems found so far. */
  get problems(): readonly string[] {
    return this.found;
  }

  /** Adds a problem found by the caller's own rule; say what to set. */
  problem(message: string): void {
    this.found.push(message);
  }

  /** The trimmed value, or undefined when unset or blank. */
  text(variable: string): string | undefined {
    const value = this.env[variable]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  /** A whole number within the rule's range, else the fallback and a problem. */
  integer(variable: string, rule: IntegerRule): number {
    const text = this.text(variable);
    if (text === undefined) return rule.fallback;
    const value = wholeNumber(text);
    if (value === undefined || value < rule.min || value > rule.max) {
      this.found.push(
        `${variable}=${JSON.stringify(this.env[variable])} is not valid: set it to ${rule.what} (default ${rule.fallback}).`,
      );
      return rule.fallback;
    }
    return value;
  }

  /** `on` or `off`, in any case; `what` completes "to switch ...". */
  onOff(variable: string, fallback: boolean, what: string): boolean {
    const text = this.text(variable)?.toLowerCase();
    if (text === undefined) return fallback;
    if (text === 'on' || text === 'off') return text === 'on';
    this.found.push(
      `${variable}=${JSON.stringify(this.env[variable])} is not valid: set it to on or off to switch ${what} ` +
        `(default ${fallback ? 'on' : 'off'}).`,
    );
    return fallback;
  }

  /** An absolute URL with an accepted scheme, or undefined when unset (or refused, with a problem). */
  url(variable: string, rule: UrlRule): string | undefined {
    const text = this.text(variable);
    if (text === undefined) return undefined;
    const schemes = rule.schemes ?? ['http', 'https'];
    if (isUrl(text, schemes)) return text;
    this.found.push(
      `${variable}=${JSON.stringify(text)} is not ${describeSchemes(schemes)} URL: set it to ${rule.what}.`,
    );
    return undefined;
  }

  /** A required value: when unset, `missing` is the problem (say what to set it to). */
  required(variable: string, missing: string): string | undefined {
    const text = this.text(variable);
    if (text === undefined) this.found.push(missing);
    return text;
  }

  /**
   * Every set `<prefix><NAME>` with NAME in upper case (digits and `_` allowed); another NAME is a
   * problem, since the setting would otherwise be ignored without a word.
   */
  prefixed(prefix: string, example: string): PrefixedSetting[] {
    const settings: PrefixedSetting[] = [];
    for (const variable of Object.keys(this.env).sort()) {
      if (!variable.startsWith(prefix)) continue;
      const value = this.text(variable);
      if (value === undefined) continue;
      const name = variable.slice(prefix.length);
      if (!/^[A-Z0-9_]+$/.test(name)) {
        this.found.push(
          `${variable} does not name a subgraph: use ${prefix}<NAME> with NAME in upper case, e.g. ${example}.`,
        );
        continue;
      }
      settings.push({ variable, name, value });
    }
    return settings;
  }

  /** Throws one ConfigError with every problem found, if any. */
  check(heading?: string): void {
    if (this.found.length > 0) throw new ConfigError([...this.found], heading);
  }
}

/** A reader of `env`; see EnvReader. */
export function readEnv(env: Env): EnvReader {
  return new EnvReader(env);
}

function describeSchemes(schemes: readonly string[]): string {
  if (schemes.length === 2 && schemes.includes('http') && schemes.includes('https')) return 'an http(s)';
  return `a ${schemes.join(' or ')}`;
}
