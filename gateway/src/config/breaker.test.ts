import { readEnv } from '@clusterpolisee/kit/env';
import { readSubgraphBreaker, subgraphBreakerFor } from './breaker';

describe('the subgraph breaker settings', () => {
  it('default to on, 50 %, 5 calls, a 10 s window and a 5 s cool-down', () => {
    const reader = readEnv({});
    const config = readSubgraphBreaker(reader);
    expect(reader.problems).toEqual([]);
    expect(subgraphBreakerFor(config, 'projects')).toEqual({
      enabled: true,
      settings: { errorPercent: 50, volume: 5, windowMs: 10_000, cooldownMs: 5_000 },
      variables: {
        errorPercent: 'SUBGRAPH_BREAKER_ERROR_PERCENT',
        volume: 'SUBGRAPH_BREAKER_VOLUME',
        windowMs: 'SUBGRAPH_BREAKER_WINDOW_MS',
        cooldownMs: 'SUBGRAPH_BREAKER_COOLDOWN_MS',
      },
    });
  });

  it("take a subgraph's own settings over the shared ones, naming the variable that set each", () => {
    const reader = readEnv({
      SUBGRAPH_BREAKER_COOLDOWN_MS: '20000',
      SUBGRAPH_BREAKER_VOLUME: '10',
      SUBGRAPH_BREAKER_COOLDOWN_MS_PARTNER_DATA: '1000',
      SUBGRAPH_BREAKER_ERROR_PERCENT_PARTNER_DATA: '25',
    });
    const config = readSubgraphBreaker(reader);
    expect(reader.problems).toEqual([]);
    const own = subgraphBreakerFor(config, 'partner-data');
    expect(own.settings).toEqual({ errorPercent: 25, volume: 10, windowMs: 10_000, cooldownMs: 1_000 });
    expect(own.variables).toMatchObject({
      errorPercent: 'SUBGRAPH_BREAKER_ERROR_PERCENT_PARTNER_DATA',
      volume: 'SUBGRAPH_BREAKER_VOLUME',
      cooldownMs: 'SUBGRAPH_BREAKER_COOLDOWN_MS_PARTNER_DATA',
    });
    expect(subgraphBreakerFor(config, 'projects').settings.cooldownMs).toBe(20_000);
  });

  it('refuse values out of range, saying what to set', () => {
    const reader = readEnv({
      SUBGRAPH_BREAKER: 'maybe',
      SUBGRAPH_BREAKER_ERROR_PERCENT: '100',
      SUBGRAPH_BREAKER_VOLUME_PROJECTS: '0',
      SUBGRAPH_BREAKER_COOLDOWN_MS_projects: '1000',
    });
    readSubgraphBreaker(reader);
    expect(reader.problems).toEqual([
      expect.stringMatching(/^SUBGRAPH_BREAKER="maybe" is not valid: set it to on or off/),
      expect.stringMatching(
        /^SUBGRAPH_BREAKER_ERROR_PERCENT="100" is not valid: set it to a whole percentage from 1 to 99/,
      ),
      expect.stringMatching(
        /^SUBGRAPH_BREAKER_VOLUME_PROJECTS="0" is not valid: .* or unset it to use SUBGRAPH_BREAKER_VOLUME/,
      ),
      expect.stringMatching(
        /^SUBGRAPH_BREAKER_COOLDOWN_MS_projects does not name a subgraph: use SUBGRAPH_BREAKER_COOLDOWN_MS_<NAME>/,
      ),
    ]);
  });

  it('can be switched off', () => {
    const config = readSubgraphBreaker(readEnv({ SUBGRAPH_BREAKER: 'off' }));
    expect(subgraphBreakerFor(config, 'projects').enabled).toBe(false);
  });
});
