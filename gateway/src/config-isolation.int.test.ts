// A gateway runs on the configuration it is given and on nothing else: two gateways with different
// settings live side by side in one process, whatever the environment holds. Every answer checked
// here comes from the gateway itself (limits, introspection); the subgraph URLs lead nowhere.
import { generateIdentityKeyPem } from '@clusterpolisee/kit/auth';
import { createTokenIssuer } from './auth';
import { GATEWAY_DEFAULTS, type GatewayOptions } from './config';
import { startGateway, type RunningGateway } from './server';

jest.setTimeout(30_000);

/** Every variable a hub service reads, or might read by a name of this family. */
const HUB_VARIABLE = /^(GATEWAY_|SUBGRAPH_|AUTH_|MONGODB_|SUPERGRAPH_|APOLLO_|PORT$|HOST$)/;

/** An environment that would break or change both gateways if either read it. */
const CONTRARY_ENV = {
  GATEWAY_PORT: '1',
  GATEWAY_MAX_DEPTH: '1',
  GATEWAY_MAX_ALIASES: '1',
  GATEWAY_INTROSPECTION: 'off',
  GATEWAY_MAX_BODY_BYTES: 'lots',
  GATEWAY_TRUSTED_DOCUMENTS: 'on',
  GATEWAY_IDENTITY_KEY_FILE: '/nowhere/identity.pem',
  AUTH_JWKS: '/nowhere/jwks.json',
  SUBGRAPH_URL_PARTNERS: 'not a url',
  GATEWAY_RATE_LIMIT: 'on',
};

const DEEP = '{ workingGroups { lead { workingGroups { lead { name } } } } }';
const INTROSPECTION = '{ __schema { queryType { name } } }';
const THREE_ALIASES = '{ a: __typename b: __typename c: __typename }';

interface Result {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function query(gateway: RunningGateway, text: string): Promise<Result> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: text }),
  });
  return { status: response.status, ...((await response.json()) as Omit<Result, 'status'>) };
}

function settings(own: GatewayOptions): GatewayOptions {
  const issuer = createTokenIssuer({ issuer: 'https://idp.isolation.test', audience: 'isolation' });
  const nowhere = 'http://127.0.0.1:9/graphql';
  return {
    port: 0,
    ide: false,
    supergraphPath: GATEWAY_DEFAULTS.supergraphPath,
    subgraphUrls: { PARTNERS: nowhere, KNOWLEDGE: nowhere, PROJECTS: nowhere, COMMUNICATIONS: nowhere },
    identityKeyPem: generateIdentityKeyPem(),
    auth: { jwks: issuer.jwks, issuer: issuer.issuer, audience: issuer.audience },
    rateLimit: { enabled: false },
    ...own,
  };
}

describe.each([
  ['no hub variable at all', {}],
  ['contrary hub variables', CONTRARY_ENV],
])('two gateways in one process, with %s in the environment', (_label, hubEnv: Record<string, string>) => {
  const saved = process.env;
  let strict: RunningGateway;
  let open: RunningGateway;

  beforeAll(async () => {
    process.env = {
      ...Object.fromEntries(Object.entries(saved).filter(([name]) => !HUB_VARIABLE.test(name))),
      ...hubEnv,
    };
    strict = await startGateway(settings({ introspection: false, limits: { maxDepth: 3 } }));
    open = await startGateway(settings({ introspection: true, limits: { maxDepth: 10 } }));
  });

  afterAll(async () => {
    await Promise.all([strict?.close(), open?.close()]);
    process.env = saved;
  });

  it('listen where their own configuration says', () => {
    expect(strict.port).not.toBe(open.port);
    expect([strict.port, open.port]).not.toContain(1);
  });

  it('apply each its own depth limit', async () => {
    const refused = await query(strict, DEEP);
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]?.message).toMatch(/^Query depth limit of 3 exceeded/);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ limit: 'maxDepth' });

    const planned = await query(open, DEEP);
    // Past validation: the call to the subgraph fails, not the limit.
    expect(planned.errors?.some((error) => error.extensions?.limit !== undefined)).toBe(false);
    expect(planned.status).toBe(200);
  });

  it('answer introspection each as configured', async () => {
    const hidden = await query(strict, INTROSPECTION);
    expect(hidden.data?.__schema).toBeUndefined();
    expect(hidden.errors?.[0]?.message).toMatch(/introspection/i);

    const shown = await query(open, INTROSPECTION);
    expect(shown.errors).toBeUndefined();
    expect(shown.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('keep the defaults for what neither was given', async () => {
    for (const gateway of [strict, open]) {
      const result = await query(gateway, THREE_ALIASES);
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ a: 'Query', b: 'Query', c: 'Query' });
    }
  });
});
