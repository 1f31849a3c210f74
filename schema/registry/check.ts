// Whether a candidate subgraph may join the supergraph: its name and URL are acceptable and it
// composes with the hub's own subgraphs and every other registered one. Part 2's safety checks
// (breaking changes against recorded usage) add their problems here, beside composition's.
import { formatCompositionProblem, type CompositionProblem } from '../composition';
import { composeWithRegistered, ownSubgraphNames, type RegisteredSource } from './compose';
import { unknownPolicyNames } from './policy-names';
import type { RegisteredSubgraph } from './store';
import { usageCheck, type UsageCheckOptions, type UsageCheckResult } from './usage-check';

/** The names supergraph.yaml accepts (they become enum values, database and variable names). */
const NAME = /^[a-z][a-z0-9_-]{0,39}$/;

export type CheckOutcome =
  | { ok: true; supergraphSdl: string; subgraphs: RegisteredSubgraph[]; warnings: CompositionProblem[] }
  | { ok: false; errors: CompositionProblem[] };

/**
 * Composes `candidate` in place of its earlier registration (if any) among `registered`.
 * Every error names the subgraph and, when the composer can tell, the SDL line.
 */
export function checkCandidate(
  candidate: RegisteredSource,
  registered: RegisteredSubgraph[],
  yamlPath?: string,
): CheckOutcome {
  const problems: CompositionProblem[] = [];
  const refuse = (message: string, code: string) =>
    problems.push({
      message: `[${candidate.name}] ${message}`,
      code,
      subgraph: candidate.name,
      locations: [],
    });
  if (!NAME.test(candidate.name)) {
    refuse(
      'a name is a lower-case letter, then up to 39 lower-case letters, digits, "_" or "-"',
      'INVALID_NAME',
    );
  }
  if (ownSubgraphNames(yamlPath).includes(candidate.name)) {
    refuse(
      "is one of the hub's own subgraphs (schema/supergraph.yaml): choose another name",
      'RESERVED_NAME',
    );
  }
  if (!isHttpUrl(candidate.url))
    refuse(`--url must be an http(s) URL (got "${candidate.url}")`, 'INVALID_URL');
  if (candidate.sdl.trim() === '') refuse('the SDL is empty', 'INVALID_GRAPHQL');
  if (problems.length > 0) return { ok: false, errors: problems };

  const others = registered.filter((subgraph) => subgraph.name !== candidate.name);
  const outcome = composeWithRegistered([...others, candidate], yamlPath);
  if (outcome.errors) return { ok: false, errors: outcome.errors };
  const unknownPolicies = unknownPolicyNames(candidate.name, candidate.sdl);
  if (unknownPolicies.length > 0) return { ok: false, errors: unknownPolicies };
  const { name, url, sdl } = candidate;
  return {
    ok: true,
    supergraphSdl: outcome.supergraphSdl,
    subgraphs: [...others, { name, url, sdl }].sort((a, b) => a.name.localeCompare(b.name)),
    warnings: outcome.warnings,
  };
}

/**
 * checkCandidate, then the breaking changes of the API schema since `latest` (the hub alone when
 * nothing was published) weighed against recorded usage and the trusted documents (usage-check.ts).
 */
export async function checkCandidateWithUsage(
  candidate: RegisteredSource,
  latest: { subgraphs: RegisteredSubgraph[]; supergraphSdl: string } | null,
  usage: UsageCheckOptions,
  yamlPath?: string,
): Promise<CheckOutcome | (CheckOutcome & { ok: true; usage: UsageCheckResult })> {
  const outcome = checkCandidate(candidate, latest?.subgraphs ?? [], yamlPath);
  if (!outcome.ok) return outcome;
  const current = latest?.supergraphSdl ?? composeWithRegistered([], yamlPath).supergraphSdl;
  if (!current) return outcome;
  const checked = await usageCheck(current, outcome.supergraphSdl, usage);
  if (checked.errors.length > 0) return { ok: false, errors: checked.errors };
  return { ...outcome, warnings: [...outcome.warnings, ...checked.warnings], usage: checked };
}

/** The errors as the CLI prints them and the HTTP endpoint returns them in `text`. */
export function formatProblems(problems: CompositionProblem[]): string {
  return problems.map(formatCompositionProblem).join('\n');
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
