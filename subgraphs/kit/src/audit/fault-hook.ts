import { ConfigError, type Env } from '../env';

/*
 * TEST ONLY. A fault hook that freezes every audited write at one step, so that a test can kill
 * the process (or the database) exactly there and show that the trail recovers. Production never
 * arms it: the setting is refused unless NODE_ENV is `test`, and only `startFromEnv` reads it, so
 * a subgraph started in-process by a test is never affected either.
 *
 * HUB_TEST_AUDIT_PAUSE:
 *   before-change  after the pending entry is stored, before the record is written;
 *   after-change   after the record is written, before its entry is settled.
 * At that step the write prints `[audit-fault] paused <step> <recordType> <recordId>` on stderr
 * and never continues.
 */

export const AUDIT_PAUSE_SETTING = 'HUB_TEST_AUDIT_PAUSE';
const STEPS = ['before-change', 'after-change'] as const;
export type AuditPauseStep = (typeof STEPS)[number];

let armed: AuditPauseStep | undefined;

/** The step HUB_TEST_AUDIT_PAUSE names, or undefined; a ConfigError outside tests or for an unknown step. */
export function auditPauseFromEnv(env: Env): AuditPauseStep | undefined {
  const value = env[AUDIT_PAUSE_SETTING]?.trim();
  if (!value) return undefined;
  if (env.NODE_ENV !== 'test')
    throw new ConfigError(
      [`${AUDIT_PAUSE_SETTING} is a test-only fault hook that stops writes midway: unset it.`],
      'Refused configuration',
    );
  if (!(STEPS as readonly string[]).includes(value))
    throw new ConfigError(
      [`${AUDIT_PAUSE_SETTING}=${JSON.stringify(value)} is not a step: use ${STEPS.join(' or ')}.`],
      'Invalid configuration',
    );
  return value as AuditPauseStep;
}

/** Arms the hook for this process; undefined disarms it. */
export function armAuditPause(step: AuditPauseStep | undefined): void {
  armed = step;
}

/** Never resolves when the hook is armed at `step`: the write stops there for good. */
export async function auditStep(step: AuditPauseStep, recordType: string, recordId: string): Promise<void> {
  if (armed !== step) return;
  process.stderr.write(`[audit-fault] paused ${step} ${recordType} ${recordId}\n`);
  await new Promise<never>(() => {});
}
