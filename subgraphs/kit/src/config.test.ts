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
      'SUBGRAPH_REQUEST_TIMEOUT_MS=' +
        JSON.stringify(value) +
        ' is not valid: set it to a whole number of milliseconds from 1 to 600000 (default 11000).',
    );
  });
});

describe('parseSubgraphConfig', () => {
  test('trims values, with the same integer rules as the gateway', () => {
    const config = parseSubgraphConfig('knowledge', 4002, {
      ...valid,
      PORT: ' 4100 ',
      MONGODB_URI: ' mongodb://db:27017 ',
      HOST: ' 127.0.0.1 ',
    });
    expect(config).toMatchObject({ port: 4100, mongoUri: 'mongodb://db:27017', host: '127.0.0.1' });
    expect(parseSubgraphConfig('knowledge', 4002, { ...valid, PORT: '' }).port).toBe(4002);
    expect(() => parseSubgraphConfig('knowledge', 4002, { ...valid, PORT: '4e3' })).toThrow(
      'PORT="4e3" is not valid: set it to a port number from 0 to 65535 (default 4002).',
    );
  });

  test('lists every problem at once, saying what to set', () => {
    let error: ConfigError | undefined;
    try {
      parseSubgraphConfig('knowledge', 4002, { PORT: '12abc', MONGODB_DATABASE: 'no/slash', HOST: '' });
    } catch (thrown) {
      error = thrown as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toMatch(/^Invalid knowledge configuration:\n {2}- /);
    expect(error?.problems).toEqual([
      'PORT="12abc" is not valid: set it to a port number from 0 to 65535 (default 4002).',
      expect.stringMatching(/^MONGODB_URI is not set: set it to your MongoDB server/),
      'MONGODB_DATABASE may hold only letters, digits, "_" and "-" (at most 63).',
      expect.stringMatching(/^GATEWAY_IDENTITY_JWKS is not set: set it to the gateway's public keys/),
    ]);
  });
});
