import { ConfigError } from '@clusterpolisee/kit';

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

export function parseProjectsSettings(env: NodeJS.ProcessEnv = process.env): ProjectsSettings {
  const problems: string[] = [];
  const raw = env.ABSORPTION_MIN_CLAIMS?.trim();
  let absorptionMinClaims = DEFAULT_ABSORPTION_MIN_CLAIMS;
  if (raw !== undefined && raw !== '') {
    absorptionMinClaims = Number(raw);
    if (!/^\d+$/.test(raw) || absorptionMinClaims < 1 || absorptionMinClaims > MAX_ABSORPTION_MIN_CLAIMS) {
      problems.push(
        `ABSORPTION_MIN_CLAIMS must be a whole number of claims from 1 to ${MAX_ABSORPTION_MIN_CLAIMS} (got "${env.ABSORPTION_MIN_CLAIMS}"); leave it unset for ${DEFAULT_ABSORPTION_MIN_CLAIMS}`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { absorptionMinClaims };
}

let settings: ProjectsSettings | undefined;

/** The settings from `process.env`, read and validated once (at start, see index.ts). */
export function projectsSettings(): ProjectsSettings {
  settings ??= parseProjectsSettings();
  return settings;
}
