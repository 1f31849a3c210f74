import { ConfigError } from '../env';
import { auditPauseFromEnv } from './fault-hook';

test('the audit fault hook is refused outside tests, and names its steps', () => {
  expect(auditPauseFromEnv({})).toBeUndefined();
  expect(auditPauseFromEnv({ NODE_ENV: 'test', HUB_TEST_AUDIT_PAUSE: 'after-change' })).toBe('after-change');
  for (const env of [
    { NODE_ENV: 'production', HUB_TEST_AUDIT_PAUSE: 'after-change' },
    { HUB_TEST_AUDIT_PAUSE: 'before-change' },
  ])
    expect(() => auditPauseFromEnv(env)).toThrow(/test-only fault hook/);
  expect(() => auditPauseFromEnv({ NODE_ENV: 'test', HUB_TEST_AUDIT_PAUSE: 'later' })).toThrow(ConfigError);
});
