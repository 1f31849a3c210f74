import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateIdentityKeyPem } from '@clusterpolisee/kit/auth';
import { createTokenIssuer, generateTokenKeyPem } from './auth';
import {
  completeGatewayConfig,
  GATEWAY_DEFAULTS,
  GatewayConfigError,
  parseGatewayConfig,
  subgraphMaxResponseBytesFor,
  subgraphTimeoutFor,
  subgraphUrlFor,
} from './config';

let dir: string;
let identityKeyPem: string;
const issuer = createTokenIssuer({ issuer: 'https://idp.example', audience: 'hub' });
/** What the environment must give: the security settings, as files like in production. */
let required: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'gateway-config-'));
  identityKeyPem = generateIdentityKeyPem();
  writeFileSync(path.join(dir, 'identity.pem'), identityKeyPem);
  writeFileSync(path.join(dir, 'issuer.jwks.json'), JSON.stringify(issuer.jwks));
  writeFileSync(path.join(dir, 'not-json.json'), 'keys?');
  // A valid PEM, but RSA: not the EC P-256 key that identity signatures need.
  writeFileSync(path.join(dir, 'rsa.pem'), generateTokenKeyPem('RS256'));
  required = {
    AUTH_JWKS: path.join(dir, 'issuer.jwks.json'),
    AUTH_ISSUER: 'https://idp.example',
    AUTH_AUDIENCE: 'hub',
    GATEWAY_IDENTITY_KEY_FILE: path.join(dir, 'identity.pem'),
    MONGODB_URI: 'mongodb://127.0.0.1:27017',
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(env: Record<string, string | undefined>): string {
  try {
    parseGatewayConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('parseGatewayConfig', () => {
  it('uses the defaults where the environment gives only what is required', () => {
    expect(parseGatewayConfig(required)).toEqual({
      port: 4000,
      supergraphPath: path.resolve(__dirname, '../../schema/supergraph.graphql'),
      subgraphTimeoutMs: 10_000,
      subgraphTimeoutsMs: {},
      subgraphMaxConnections: 64,
      subgraphMaxResponseBytes: 16_777_216,
      subgraphMaxResponseBytesByName: {},
      documentCacheMiB: 4,
      driftCheckMs: 60_000,
      queryPlanCacheMiB: 4,
      subgraphUrls: {},
      ide: true,
      introspection: true,
      readyRequiresSubgraphs: true,
      auth: { jwks: issuer.jwks, issuer: 'https://idp.example', audience: 'hub' },
      maxTokenLifetimeSeconds: 86_400,
      identityKeyPem,
      limits: {
        maxDepth: 10,
        maxAliases: 15,
        maxCost: 100_000,
        defaultListSize: 50,
        maxTokens: 2_000,
        maxDirectives: 50,
        maxSearchLength: 200,
        maxArgumentLength: 2_000,
        maxInputLength: 100_000,
      },
      subgraphBreaker: { enabled: true, errorPercent: 50, volume: 5, windowMs: 10_000, cooldownMs: 5_000 },
      subgraphBreakerByName: {},
      telemetry: { logLevel: 'info', dbCommands: true },
      maxBodyBytes: 1_048_576,
      maxBatchSize: 0,
      rateLimit: {
        enabled: true,
        points: 600,
        anonymousPoints: 120,
        windowSeconds: 60,
        mongoUri: 'mongodb://127.0.0.1:27017',
        database: 'clusterpolisee_gateway',
      },
      trustProxyHops: 0,
      corsOrigins: [],
      trustedDocuments: { enabled: false, dir: path.resolve(__dirname, '../../schema/operations') },
      registry: {
        enabled: true,
        mongoUri: 'mongodb://127.0.0.1:27017',
        database: 'clusterpolisee_registry',
        pollMs: 2_000,
        usageFlushSeconds: 30,
        usageMaxEntries: 5_000,
        usageWindowDays: 30,
      },
    });
    expect(GATEWAY_DEFAULTS.supergraphPath.endsWith(path.join('schema', 'supergraph.graphql'))).toBe(true);
  });

  it('fails fast naming every security setting the environment lacks', () => {
    const message = problemsOf({});
    expect(message).toMatch(/^Invalid gateway configuration:/);
    expect(message).toContain("Callers' tokens cannot be checked: set AUTH_JWKS");
    expect(message).toContain('AUTH_ISSUER');
    expect(message).toContain('AUTH_AUDIENCE');
    expect(message).toContain('GATEWAY_IDENTITY_KEY_FILE is not set');
    expect(message).toContain('MONGODB_URI is not set');
    expect(message).toContain('GATEWAY_RATE_LIMIT=off');
    expect(problemsOf({ ...required, AUTH_AUDIENCE: ' ' })).toContain('set AUTH_AUDIENCE');
  });

  it('asks nothing of the environment that the options give', () => {
    const config = parseGatewayConfig(
      {},
      {
        auth: { jwks: issuer.jwks, issuer: 'i', audience: 'a' },
        identityKeyPem,
        rateLimit: { enabled: false },
        limits: { maxDepth: 4 },
        port: 0,
      },
    );
    expect(config.port).toBe(0);
    expect(config.auth.issuer).toBe('i');
    expect(config.rateLimit).toMatchObject({ enabled: false, points: 600 });
    expect(config.limits).toMatchObject({ maxDepth: 4, maxAliases: 15 });
    // A setting given as undefined does not erase the environment's.
    expect(parseGatewayConfig({ ...required, GATEWAY_PORT: '81' }, { port: undefined }).port).toBe(81);
  });

  it('refuses unreadable or unsuitable key files', () => {
    expect(problemsOf({ ...required, GATEWAY_IDENTITY_KEY_FILE: path.join(dir, 'missing.pem') })).toMatch(
      /GATEWAY_IDENTITY_KEY_FILE=".*missing.pem" cannot be read \(ENOENT\)/,
    );
    expect(problemsOf({ ...required, GATEWAY_IDENTITY_KEY_FILE: path.join(dir, 'rsa.pem') })).toMatch(
      /does not hold an EC P-256 private key in PKCS #8 PEM \(it is a rsa key\)/,
    );
    expect(problemsOf({ ...required, AUTH_JWKS: path.join(dir, 'not-json.json') })).toMatch(
      /AUTH_JWKS=".*not-json.json": the file is not JSON/,
    );
    expect(problemsOf({ ...required, AUTH_JWKS: 'http://idp.example/jwks.json' })).toMatch(
      /keys are fetched over https/,
    );
    expect(parseGatewayConfig({ ...required, AUTH_JWKS: 'https://idp.example/jwks.json' }).auth.jwks).toBe(
      'https://idp.example/jwks.json',
    );
  });

  it('reads every security and limit setting', () => {
    const config = parseGatewayConfig({
      ...required,
      GATEWAY_MAX_DEPTH: '12',
      GATEWAY_MAX_ALIASES: '20',
      GATEWAY_MAX_COST: '50000',
      GATEWAY_DEFAULT_LIST_SIZE: '30',
      GATEWAY_MAX_TOKENS: '3000',
      GATEWAY_MAX_DIRECTIVES: '10',
      GATEWAY_MAX_BODY_BYTES: '2048',
      GATEWAY_MAX_BATCH_SIZE: '5',
      GATEWAY_RATE_LIMIT_POINTS: '1000',
      GATEWAY_RATE_LIMIT_ANONYMOUS_POINTS: '10',
      GATEWAY_RATE_LIMIT_WINDOW_SECONDS: '30',
      GATEWAY_RATE_LIMIT_DATABASE: 'limits',
      GATEWAY_TRUST_PROXY_HOPS: '1',
      GATEWAY_CORS_ORIGINS: 'https://app.example.org, http://localhost:*',
      GATEWAY_TRUSTED_DOCUMENTS: 'on',
      GATEWAY_TRUSTED_DOCUMENTS_DIR: 'ops',
      GATEWAY_DOCUMENT_CACHE_MIB: '4',
      GATEWAY_QUERY_PLAN_CACHE_MIB: '16',
    });
    expect(config).toMatchObject({
      documentCacheMiB: 4,
      queryPlanCacheMiB: 16,
      limits: {
        maxDepth: 12,
        maxAliases: 20,
        maxCost: 50_000,
        defaultListSize: 30,
        maxTokens: 3_000,
        maxDirectives: 10,
      },
      maxBodyBytes: 2048,
      maxBatchSize: 5,
      rateLimit: { enabled: true, points: 1000, anonymousPoints: 10, windowSeconds: 30, database: 'limits' },
      trustProxyHops: 1,
      corsOrigins: ['https://app.example.org', 'http://localhost:*'],
      trustedDocuments: { enabled: true, dir: path.resolve('ops') },
    });
    const { MONGODB_URI: _unused, ...withoutDatabase } = required;
    expect(parseGatewayConfig({ ...withoutDatabase, GATEWAY_RATE_LIMIT: 'off' }).rateLimit).toMatchObject({
      enabled: false,
      mongoUri: '',
    });
  });

  it('refuses bad limit, CORS and rate-limit values', () => {
    const message = problemsOf({
      ...required,
      GATEWAY_MAX_DEPTH: '0',
      GATEWAY_MAX_BODY_BYTES: '10',
      GATEWAY_MAX_BATCH_SIZE: '-1',
      GATEWAY_DOCUMENT_CACHE_MIB: '0',
      GATEWAY_QUERY_PLAN_CACHE_MIB: 'lots',
      GATEWAY_RATE_LIMIT: 'maybe',
      GATEWAY_RATE_LIMIT_WINDOW_SECONDS: '0',
      GATEWAY_CORS_ORIGINS: 'https://ok.example, app.example.org/path',
    });
    expect(message).toContain(
      'GATEWAY_MAX_DEPTH="0" is not valid: set it to a whole number of levels from 1 to 1000 (default 10).',
    );
    expect(message).toContain('GATEWAY_MAX_BODY_BYTES="10" is not valid');
    expect(message).toContain('GATEWAY_MAX_BATCH_SIZE="-1" is not valid');
    expect(message).toContain(
      'GATEWAY_DOCUMENT_CACHE_MIB="0" is not valid: set it to a whole number of MiB from 1 to 1024 for parsed operations',
    );
    expect(message).toContain('GATEWAY_QUERY_PLAN_CACHE_MIB="lots" is not valid');
    expect(message).toContain('GATEWAY_RATE_LIMIT="maybe" is not valid: set it to on or off');
    expect(message).toContain('GATEWAY_RATE_LIMIT_WINDOW_SECONDS="0" is not valid');
    expect(message).toContain('GATEWAY_CORS_ORIGINS: "app.example.org/path" is not an origin');
    expect(message).not.toContain('https://ok.example');
  });

  it('reads every setting', () => {
    const config = parseGatewayConfig({
      ...required,
      GATEWAY_PORT: '0',
      SUPERGRAPH_PATH: 'some/supergraph.graphql',
      SUBGRAPH_TIMEOUT_MS: '250',
      SUBGRAPH_MAX_CONNECTIONS: '8',
      SUBGRAPH_URL_PARTNERS: 'http://partners:4001/graphql',
      SUBGRAPH_URL_PARTNER_DATA: ' https://example.org/graphql ',
      SUBGRAPH_URL_KNOWLEDGE: '', // empty is unset
      GATEWAY_IDE: 'off',
      GATEWAY_INTROSPECTION: ' OFF ',
      GATEWAY_READY_REQUIRES_SUBGRAPHS: 'off',
      UNRELATED: 'x',
    });
    expect(config).toMatchObject({
      port: 0,
      supergraphPath: path.resolve('some/supergraph.graphql'),
      subgraphTimeoutMs: 250,
      subgraphMaxConnections: 8,
      subgraphUrls: { PARTNERS: 'http://partners:4001/graphql', PARTNER_DATA: 'https://example.org/graphql' },
      ide: false,
      introspection: false,
      readyRequiresSubgraphs: false,
    });
    expect(parseGatewayConfig({ ...required, GATEWAY_IDE: 'on', GATEWAY_INTROSPECTION: 'On' })).toMatchObject(
      {
        ide: true,
        introspection: true,
      },
    );
    expect(subgraphUrlFor(config, 'partners', 'http://default')).toBe('http://partners:4001/graphql');
    expect(subgraphUrlFor(config, 'partner-data', 'http://default')).toBe('https://example.org/graphql');
    expect(subgraphUrlFor(config, 'projects', 'http://default')).toBe('http://default');
    expect(subgraphUrlFor({ subgraphUrls: { projects: 'http://p' } }, 'projects', undefined)).toBe(
      'http://p',
    );
  });

  it("reads a subgraph's own timeout, SUBGRAPH_TIMEOUT_MS_<NAME>, over SUBGRAPH_TIMEOUT_MS", () => {
    const config = parseGatewayConfig({
      ...required,
      SUBGRAPH_TIMEOUT_MS: '5000',
      SUBGRAPH_TIMEOUT_MS_PARTNERS: '250',
      SUBGRAPH_TIMEOUT_MS_PARTNER_DATA: ' 60000 ',
      SUBGRAPH_TIMEOUT_MS_KNOWLEDGE: '', // empty is unset
    });
    expect(config.subgraphTimeoutMs).toBe(5000);
    expect(config.subgraphTimeoutsMs).toEqual({ PARTNERS: 250, PARTNER_DATA: 60_000 });
    expect(subgraphTimeoutFor(config, 'partners')).toEqual({
      timeoutMs: 250,
      variable: 'SUBGRAPH_TIMEOUT_MS_PARTNERS',
    });
    expect(subgraphTimeoutFor(config, 'partner-data')).toEqual({
      timeoutMs: 60_000,
      variable: 'SUBGRAPH_TIMEOUT_MS_PARTNER_DATA',
    });
    expect(subgraphTimeoutFor(config, 'knowledge')).toEqual({
      timeoutMs: 5000,
      variable: 'SUBGRAPH_TIMEOUT_MS',
    });
    // Given in code, keyed by the subgraph's own name.
    expect(
      subgraphTimeoutFor({ subgraphTimeoutMs: 5000, subgraphTimeoutsMs: { projects: 75 } }, 'projects'),
    ).toEqual({ timeoutMs: 75, variable: 'SUBGRAPH_TIMEOUT_MS_PROJECTS' });
  });

  it("reads the largest subgraph answer, SUBGRAPH_MAX_RESPONSE_BYTES and a subgraph's own _<NAME>", () => {
    const config = parseGatewayConfig({
      ...required,
      SUBGRAPH_MAX_RESPONSE_BYTES: '1048576',
      SUBGRAPH_MAX_RESPONSE_BYTES_PARTNERS: ' 65536 ',
      SUBGRAPH_MAX_RESPONSE_BYTES_KNOWLEDGE: '', // empty is unset
    });
    expect(config.subgraphMaxResponseBytes).toBe(1_048_576);
    expect(config.subgraphMaxResponseBytesByName).toEqual({ PARTNERS: 65_536 });
    expect(subgraphMaxResponseBytesFor(config, 'partners')).toEqual({
      maxBytes: 65_536,
      variable: 'SUBGRAPH_MAX_RESPONSE_BYTES_PARTNERS',
    });
    expect(subgraphMaxResponseBytesFor(config, 'knowledge')).toEqual({
      maxBytes: 1_048_576,
      variable: 'SUBGRAPH_MAX_RESPONSE_BYTES',
    });
    expect(problemsOf({ ...required, SUBGRAPH_MAX_RESPONSE_BYTES: '100' })).toContain(
      'SUBGRAPH_MAX_RESPONSE_BYTES="100" is not valid: set it to a number of bytes from 1024 to 1073741824',
    );
    for (const value of ['0', 'big', '16MiB', '1073741825']) {
      expect(problemsOf({ ...required, SUBGRAPH_MAX_RESPONSE_BYTES_PARTNERS: value })).toContain(
        `SUBGRAPH_MAX_RESPONSE_BYTES_PARTNERS=${JSON.stringify(value)} is not valid: set it to a number of bytes from 1024`,
      );
    }
    expect(problemsOf({ ...required, GATEWAY_DEFAULT_LIST_SIZE: '0' })).toContain(
      'GATEWAY_DEFAULT_LIST_SIZE="0"',
    );
  });

  it('refuses a bad subgraph timeout, naming the variable', () => {
    for (const value of ['0', 'soon', '-5', '1.5', '600001']) {
      expect(problemsOf({ ...required, SUBGRAPH_TIMEOUT_MS_PARTNERS: value })).toContain(
        `SUBGRAPH_TIMEOUT_MS_PARTNERS=${JSON.stringify(value)} is not valid: set it to a number of milliseconds from 1 to 600000`,
      );
    }
    expect(problemsOf({ ...required, SUBGRAPH_TIMEOUT_MS_partners: '100' })).toContain(
      'SUBGRAPH_TIMEOUT_MS_partners does not name a subgraph: use SUBGRAPH_TIMEOUT_MS_<NAME>',
    );
  });

  it('reads the longest token lifetime, GATEWAY_MAX_TOKEN_LIFETIME_SECONDS, and refuses a bad one', () => {
    expect(
      parseGatewayConfig({ ...required, GATEWAY_MAX_TOKEN_LIFETIME_SECONDS: '3600' }).maxTokenLifetimeSeconds,
    ).toBe(3_600);
    for (const bad of ['59', '2592001', '1h', '-1']) {
      expect(() => parseGatewayConfig({ ...required, GATEWAY_MAX_TOKEN_LIFETIME_SECONDS: bad })).toThrow(
        `GATEWAY_MAX_TOKEN_LIFETIME_SECONDS=${JSON.stringify(bad)} is not valid: set it to a number of seconds from 60 to 2592000 (30 days)`,
      );
    }
  });

  it('reads the schema registry settings: on wherever MONGODB_URI is, and refuses bad ones', () => {
    const env = { ...required, GATEWAY_RATE_LIMIT: 'off' };
    expect(parseGatewayConfig({ ...env, MONGODB_URI: undefined }).registry.enabled).toBe(false);
    expect(
      parseGatewayConfig({
        ...env,
        GATEWAY_REGISTRY_POLL_MS: '250',
        GATEWAY_REGISTRY_DATABASE: 'hub_registry',
        GATEWAY_USAGE_FLUSH_SECONDS: '5',
        GATEWAY_USAGE_MAX_ENTRIES: '100',
        GATEWAY_USAGE_WINDOW_DAYS: '7',
      }).registry,
    ).toEqual({
      enabled: true,
      mongoUri: required.MONGODB_URI,
      database: 'hub_registry',
      pollMs: 250,
      usageFlushSeconds: 5,
      usageMaxEntries: 100,
      usageWindowDays: 7,
    });
    expect(parseGatewayConfig({ ...env, GATEWAY_REGISTRY: 'off' }).registry.enabled).toBe(false);
    expect(problemsOf({ ...env, MONGODB_URI: undefined, GATEWAY_REGISTRY: 'on' })).toContain(
      'GATEWAY_REGISTRY=off',
    );
    expect(problemsOf({ ...env, GATEWAY_REGISTRY_POLL_MS: '10' })).toContain('GATEWAY_REGISTRY_POLL_MS');
    expect(problemsOf({ ...env, GATEWAY_REGISTRY_DATABASE: 'a.b' })).toContain('GATEWAY_REGISTRY_DATABASE');
  });

  it('reads how often the drift watch looks, GATEWAY_DRIFT_CHECK_MS, 0 for off, and refuses a bad one', () => {
    expect(parseGatewayConfig({ ...required, GATEWAY_DRIFT_CHECK_MS: '0' }).driftCheckMs).toBe(0);
    expect(parseGatewayConfig({ ...required, GATEWAY_DRIFT_CHECK_MS: '5000' }).driftCheckMs).toBe(5_000);
    expect(problemsOf({ ...required, GATEWAY_DRIFT_CHECK_MS: '-1' })).toContain('GATEWAY_DRIFT_CHECK_MS');
  });

  it('refuses a bad port, saying which variable to set and how', () => {
    for (const port of ['abc', '70000', '-1', '4000.5']) {
      expect(() => parseGatewayConfig({ ...required, GATEWAY_PORT: port })).toThrow(GatewayConfigError);
      expect(() => parseGatewayConfig({ ...required, GATEWAY_PORT: port })).toThrow(
        /GATEWAY_PORT=".*" is not valid: set it to a port number from 0 to 65535 \(default 4000\)/,
      );
    }
  });

  it('lists every problem at once', () => {
    let message = '';
    try {
      parseGatewayConfig({
        ...required,
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

describe('completeGatewayConfig', () => {
  it('completes a configuration given in code from the defaults, not from the environment', () => {
    const given = {
      auth: { jwks: issuer.jwks, issuer: 'i', audience: 'a' },
      identityKeyPem,
      rateLimit: { enabled: false },
      limits: { maxDepth: 4 },
      port: 0,
    };
    // The environment's configuration with the same settings given over it.
    expect(completeGatewayConfig(given)).toEqual(parseGatewayConfig({}, given));
    expect(completeGatewayConfig({ ...given, port: undefined }).port).toBe(4000);
  });

  it('takes a whole configuration as it is', () => {
    const config = parseGatewayConfig({
      ...required,
      GATEWAY_MAX_DEPTH: '7',
      GATEWAY_CORS_ORIGINS: 'http://a:1',
    });
    expect(completeGatewayConfig(config)).toEqual(config);
  });

  it('lists every setting without a default that is not given', () => {
    let message = '';
    try {
      completeGatewayConfig({ port: 0 });
    } catch (error) {
      expect(error).toBeInstanceOf(GatewayConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid gateway configuration:/);
    expect(message).toContain('auth is not given');
    expect(message).toContain('identityKeyPem is not given');
    expect(message).toContain('rateLimit.mongoUri is not given');
  });
});
