import { readEnv, type Env } from '@clusterpolisee/kit/env';

/** What the projects subgraph reads from the environment beyond the kit's settings. */
export interface ProjectsSettings {
  /**
   * `ABSORPTION_MIN_CLAIMS`, default 3 (1 to 1000): the fewest claims a money figure of the public
   * absorption may sum. Anonymous and partner callers get a figure of fewer (but not of none)
   * withheld, so that nobody outside the programme's control reads one partner's claim in it.
   * 1 withholds nothing.
   */
  absorptionMinClaims: number;
}

export const DEFAULT_ABSORPTION_MIN_CLAIMS = 3;
const MAX_ABSORPTION_MIN_CLAIMS = 1000;

export function parseProjectsSettings(env: Env = process.env): ProjectsSettings {
  const reader = readEnv(env);
  const absorptionMinClaims = reader.integer('ABSORPTION_MIN_CLAIMS', {
    fallback: DEFAULT_ABSORPTION_MIN_CLAIMS,
    min: 1,
    max: MAX_ABSORPTION_MIN_CLAIMS,
    what: `a whole number of claims from 1 to ${MAX_ABSORPTION_MIN_CLAIMS}`,
  });
  reader.check('Invalid projects configuration');
  return { absorptionMinClaims };
}

let settings: ProjectsSettings | undefined;

/** The settings from `process.env`, read and validated once (at start, see index.ts). */
export function projectsSettings(): ProjectsSettings {
  settings ??= parseProjectsSettings();
  return settings;
}
