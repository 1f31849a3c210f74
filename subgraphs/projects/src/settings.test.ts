import { ConfigError } from '@clusterpolisee/kit';
import { DEFAULT_ABSORPTION_MIN_CLAIMS, parseProjectsSettings } from './settings';

test('ABSORPTION_MIN_CLAIMS defaults to 3 and takes a whole number from 1 to 1000', () => {
  expect(parseProjectsSettings({})).toEqual({ absorptionMinClaims: DEFAULT_ABSORPTION_MIN_CLAIMS });
  expect(DEFAULT_ABSORPTION_MIN_CLAIMS).toBe(3);
  expect(parseProjectsSettings({ ABSORPTION_MIN_CLAIMS: ' ' })).toEqual({ absorptionMinClaims: 3 });
  expect(parseProjectsSettings({ ABSORPTION_MIN_CLAIMS: '1' })).toEqual({ absorptionMinClaims: 1 });
  expect(parseProjectsSettings({ ABSORPTION_MIN_CLAIMS: '10' })).toEqual({ absorptionMinClaims: 10 });
});

test.each(['0', '-3', '2.5', 'three', '1001', '1e2'])(
  'refuses ABSORPTION_MIN_CLAIMS=%s, saying what to set',
  (value) => {
    expect(() => parseProjectsSettings({ ABSORPTION_MIN_CLAIMS: value })).toThrow(ConfigError);
    expect(() => parseProjectsSettings({ ABSORPTION_MIN_CLAIMS: value })).toThrow(
      `ABSORPTION_MIN_CLAIMS=${JSON.stringify(value)} is not valid: set it to a whole number of claims from 1 to 1000 (default 3).`,
    );
  },
);
