import { ConfigError, DEFAULT_REQUEST_TIMEOUT_MS, parseSubgraphConfig } from './config';

const valid = {
  MONGODB_URI: 'mongodb://localhost:27017',
  GATEWAY_IDENTITY_JWKS: 'https://gateway.example/.well-known/hub-identity-jwks.json',
};

describe('SUBGRAPH_REQUEST_TIMEOUT_MS', () => {
  test('defaults to a little above the gateway’s SUBGRAPH_TIMEOUT_MS (10000)', () => {
    expect(parseSubgraphConfig('knowledge', 4002, valid).requestTimeoutMs).toBe(DEFAULT_REQUEST_TIMEOUT_MS);
    expect(DEFAULT_REQUEST_TIMEOUT_MS).toBe(11_000);
  });

  test('is read as whole milliseconds', () => {
    const env = { ...valid, SUBGRAPH_REQUEST_TIMEOUT_MS: ' 2500 ' };
    expect(parseSubgraphConfig('knowledge', 4002, env).requestTimeoutMs).toBe(2500);
  });

  test.each(['0', '-1', '1.5', 'ten', '600001'])('refuses %p, naming the variable', (value) => {
    const env = { ...valid, SUBGRAPH_REQUEST_TIMEOUT_MS: value };
    expect(() => parseSubgraphConfig('knowledge', 4002, env)).toThrow(ConfigError);
    expect(() => parseSubgraphConfig('knowledge', 4002, env)).toThrow(
      /SUBGRAPH_REQUEST_TIMEOUT_MS must be a whole number of milliseconds from 1 to 600000/,
    );
  });
});
