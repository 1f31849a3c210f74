// Publish behind the usage-aware check, for the CLI and the HTTP endpoint alike. The check runs
// against the newest version before the publish composes again: a version stored by another
// writer in between is composed with, but its usage is not re-checked (a race of seconds).
import type { CompositionProblem } from '../composition';
import { checkCandidateWithUsage } from './check';
import type { RegisteredSource } from './compose';
import { publishSubgraph, type RegistryWriteOutcome } from './operations';
import type { RegistryActor, RegistryStore } from './store';
import { recordOverride, type UsageCheckOptions } from './usage-check';

export async function publishWithUsageCheck(
  store: RegistryStore,
  candidate: RegisteredSource,
  actor: RegistryActor,
  usage: Omit<UsageCheckOptions, 'db'>,
  yamlPath?: string,
): Promise<RegistryWriteOutcome> {
  const db = store.database();
  const checked = await checkCandidateWithUsage(candidate, await store.latest(), { ...usage, db }, yamlPath);
  if (!checked.ok) return checked;
  const outcome = await publishSubgraph(store, candidate, actor, yamlPath);
  if (!outcome.ok || !('usage' in checked)) return outcome;
  const { overridden, warnings } = checked.usage;
  if (overridden.length > 0 && usage.overrideReason) {
    await recordOverride(db, actor, candidate.name, usage.overrideReason, overridden, outcome.version._id);
  }
  const usageWarnings: CompositionProblem[] = warnings;
  return { ...outcome, warnings: [...outcome.warnings, ...usageWarnings] };
}
