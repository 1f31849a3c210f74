import path from 'node:path';
import { GATEWAY_DEFAULTS, GatewayConfigError, parseGatewayConfig, subgraphUrlFor } from './config';

describe('parseGatewayConfig', () => {
  it('uses the defaults for an empty environment', () => {
    expect(parseGatewayConfig({})).toEqual({
      port: 4000,
      supergraphPath: path.resolve(__dirname, '../../schema/supergraph.graphql'),
      subgraphTimeoutMs: 10_000,
      subgraphMaxConnections: 64,
      subgraphUrls: {},
      ide: true,
      introspection: true,
    });
    expect(GATEWAY_DEFAULTS.supergraphPath.endsWith(path.join('schema', 'supergraph.graphql'))).toBe(true);
  });

  it('reads every setting', () => {
    const config = parseGatewayConfig({
      GATEWAY_PORT: '0',
      SUPERGRAPH_PATH: 'some/supergraph.graphql',
      SUBGRAPH_TIMEOUT_MS: '250',
      SUBGRAPH_MAX_CONNECTIONS: '8',
      SUBGRAPH_URL_PARTNERS: 'http://partners:4001/graphql',
      SUBGRAPH_URL_PARTNER_DATA: ' https://example.org/graphql ',
      SUBGRAPH_URL_KNOWLEDGE: '', // empty is unset
      GATEWAY_IDE: 'off',
      GATEWAY_INTROSPECTION: ' OFF ',
      UNRELATED: 'x',
    });
    expect(config).toEqual({
      port: 0,
      supergraphPath: path.resolve('some/supergraph.graphql'),
      subgraphTimeoutMs: 250,
      subgraphMaxConnections: 8,
      subgraphUrls: { PARTNERS: 'http://partners:4001/graphql', PARTNER_DATA: 'https://example.org/graphql' },
      ide: false,
      introspection: false,
    });
    expect(parseGatewayConfig({ GATEWAY_IDE: 'on', GATEWAY_INTROSPECTION: 'On' })).toMatchObject({
      ide: true,
      introspection: true,
    });
    expect(subgraphUrlFor(config, 'partners', 'http://default')).toBe('http://partners:4001/graphql');
    expect(subgraphUrlFor(config, 'partner-data', 'http://default')).toBe('https://example.org/graphql');
    expect(subgraphUrlFor(config, 'projects', 'http://default')).toBe('http://default');
    expect(subgraphUrlFor({ subgraphUrls: { projects: 'http://p' } }, 'projects', undefined)).toBe(
      'http://p',
    );
  });

  it('refuses a bad port, saying which variable to set and how', () => {
    for (const port of ['abc', '70000', '-1', '4000.5']) {
      expect(() => parseGatewayConfig({ GATEWAY_PORT: port })).toThrow(GatewayConfigError);
      expect(() => parseGatewayConfig({ GATEWAY_PORT: port })).toThrow(
        /GATEWAY_PORT=".*" is not valid: set it to a port number from 0 to 65535 \(default 4000\)/,
      );
    }
  });

  it('lists every problem at once', () => {
    let message = '';
    try {
      parseGatewayConfig({
        SUBGRAPH_TIMEOUT_MS: '0',
        SUBGRAPH_MAX_CONNECTIONS: 'many',
        SUBGRAPH_URL_PARTNERS: 'partners:4001',
        SUBGRAPH_URL_lower: 'http://x',
        GATEWAY_IDE: 'yes',
        GATEWAY_INTROSPECTION: 'false',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid gateway configuration:/);
    expect(message).toContain('SUBGRAPH_TIMEOUT_MS="0" is not valid: set it to a number of milliseconds');
    expect(message).toContain('SUBGRAPH_MAX_CONNECTIONS="many" is not valid');
    expect(message).toContain('SUBGRAPH_URL_PARTNERS="partners:4001" is not an http(s) URL');
    expect(message).toContain('SUBGRAPH_URL_lower does not name a subgraph');
    expect(message).toContain(
      'GATEWAY_IDE="yes" is not valid: set it to on or off to switch the GraphQL IDE for browsers (default on).',
    );
    expect(message).toContain(
      'GATEWAY_INTROSPECTION="false" is not valid: set it to on or off to switch schema introspection (default on).',
    );
  });
});
