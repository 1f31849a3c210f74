/**
 * A configuration that cannot run, with every problem found, each saying what to set. Thrown once
 * after everything was read, so that an operator fixes the whole deployment in one round.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(
    readonly problems: readonly string[],
    readonly heading = 'Configuration is invalid',
  ) {
    super(`${heading}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }

  /**
   * The same on one line: log collectors store each line as its own record, so a message split
   * over lines arrives in pieces, and only the first says what it is about.
   */
  oneLine(): string {
    return `${this.heading}: ${this.problems.map((problem) => problem.replace(/\s*\n\s*/g, ' ')).join(' | ')}`;
  }
}
