// The gateway's security against a real subgraph over HTTP: tokens, the signed identity the
// subgraph receives (and verifies with the kit's verifier), limits, rate limits in the test run's
// database, CORS and trusted documents. Every refusal must happen before the subgraph is called.
import { createHash, createPublicKey, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  forwardedIdentityVerifier,
  generateIdentityKeyPem,
  identitySigningKey,
  IDENTITY_HEADER,
  ROLE_SCOPES,
  type Identity,
  type IdentitySigningKey,
} from '@clusterpolisee/kit/auth';
import { serveApollo, type RunningHttpService } from '@clusterpolisee/kit/http';
import { parse } from 'graphql';
import { SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { composeSubgraphs, supergraphFileContent } from '../../schema/composition';
import { createTokenIssuer, generateTokenKeyPem, tokenSigningKey, type TokenIssuer } from './auth';
import type { GatewayOptions } from './config';
import { IDENTITY_JWKS_PATH, startGateway, type RunningGateway } from './server';

jest.setTimeout(30_000);

const ISSUER = 'https://idp.clusterpolisee.test';
const AUDIENCE = 'clusterpolisee-hub-test';

const SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Organisation @key(fields: "id") {
  id: ID!
  name: String!
  parent: Organisation
}
type Caller {
  subject: String!
  role: String!
  organisationId: String
  scopes: [String!]!
}
enum OrganisationOrder {
  NAME
  CREATED
}
type Query {
  organisations(first: Int = 10, orderBy: OrganisationOrder = NAME): [Organisation!]!
  whoami: Caller!
}
`;
const ORGANISATIONS = [
  { id: 'o1', name: 'Alpha' },
  { id: 'o2', name: 'Beta' },
];

interface Received {
  headers: IncomingHttpHeaders;
  identity?: Identity;
}
/** What the subgraph was sent, newest last. */
let received: Received[] = [];

let dir: string;
let supergraphPath: string;
let subgraph: RunningHttpService;
let identityKeyPem: string;
let identityKey: IdentitySigningKey;
let es256: TokenIssuer;
let rs256: TokenIssuer;
let stranger: TokenIssuer;
const running: RunningGateway[] = [];

/** A subgraph that, like the kit's, refuses any request without a valid gateway signature. */
async function startSubgraph(jwks: JSONWebKeySet): Promise<RunningHttpService> {
  const verify = forwardedIdentityVerifier(jwks, 'orgs');
  const apollo = new ApolloServer<{ identity: Identity }>({
    schema: buildSubgraphSchema({
      typeDefs: parse(SDL),
      resolvers: {
        Query: {
          organisations: () => ORGANISATIONS,
          whoami: (_: unknown, __: unknown, context: unknown) => {
            const { identity } = context as { identity: Identity };
            return { ...identity, scopes: [...identity.scopes].sort() };
          },
        },
        Organisation: {
          parent: () => ORGANISATIONS[0],
          __resolveReference: (ref: { id: string }) => ORGANISATIONS.find((o) => o.id === ref.id),
        },
      },
    }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  const http = await serveApollo(apollo, {
    port: 0,
    host: '127.0.0.1',
    context: async (req) => {
      const entry: Received = { headers: req.headers };
      received.push(entry);
      entry.identity = await verify(req.headers[IDENTITY_HEADER]);
      return { identity: entry.identity };
    },
  });
  return {
    ...http,
    close: async () => {
      await http.close();
      await apollo.stop();
    },
  };
}

/** Both test issuers' keys: tokens of either verify, as with an identity provider that rotates. */
function trustedKeys(): JSONWebKeySet {
  return { keys: [...es256.jwks.keys, ...rs256.jwks.keys] };
}

async function gatewayWith(options: GatewayOptions = {}): Promise<RunningGateway> {
  const gateway = await startGateway({
    port: 0,
    ide: false,
    supergraphPath,
    subgraphUrls: { ORGS: subgraph.url },
    identityKeyPem,
    auth: { jwks: trustedKeys(), issuer: ISSUER, audience: AUDIENCE },
    rateLimit: { enabled: false },
    ...options,
  });
  running.push(gateway);
  return gateway;
}

interface Result {
  status: number;
  headers: Headers;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Result> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as Omit<Result, 'status' | 'headers'>) : {};
  return { status: response.status, headers: response.headers, ...parsed };
}

const query = (url: string, text: string, headers: Record<string, string> = {}) =>
  post(url, { query: text }, headers);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gateway-security-'));
  writeFileSync(path.join(dir, 'orgs.graphql'), SDL);
  const outcome = composeSubgraphs([
    { name: 'orgs', routingUrl: 'http://127.0.0.1:9/unused', schemaFile: path.join(dir, 'orgs.graphql') },
  ]);
  if (outcome.errors) throw new Error(outcome.errors.map((e) => e.message).join('\n'));
  supergraphPath = path.join(dir, 'supergraph.graphql');
  writeFileSync(supergraphPath, supergraphFileContent(outcome.supergraphSdl));

  identityKeyPem = generateIdentityKeyPem();
  identityKey = await identitySigningKey(identityKeyPem);
  es256 = createTokenIssuer({ issuer: ISSUER, audience: AUDIENCE });
  rs256 = createTokenIssuer({ issuer: ISSUER, audience: AUDIENCE, algorithm: 'RS256' });
  stranger = createTokenIssuer({ issuer: ISSUER, audience: AUDIENCE });
  subgraph = await startSubgraph(identityKey.jwks);
});

afterAll(async () => {
  await Promise.all(running.map((gateway) => gateway.close()));
  await subgraph?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  received = [];
});

describe('tokens and the forwarded identity', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await gatewayWith();
  });

  const WHOAMI = '{ whoami { subject role organisationId scopes } }';

  it('forwards a valid token as an identity signed for the subgraph, never the token itself', async () => {
    const token = await es256.mint({ role: 'partner-member', org: 'org-42', sub: 'maria' });
    const result = await query(gateway.url, WHOAMI, { ...bearer(token), 'x-request-id': 'req-7' });
    expect(result.status).toBe(200);
    expect(result.data).toEqual({
      whoami: {
        subject: 'maria',
        role: 'partner-member',
        organisationId: 'org-42',
        scopes: [...ROLE_SCOPES['partner-member']].sort(),
      },
    });
    expect(received).toHaveLength(1);
    const [call] = received;
    expect(call!.headers.authorization).toBeUndefined();
    // The gateway's id, not the caller's: that one travels apart, as the client's.
    expect(call!.headers['x-request-id']).toBe(result.headers.get('x-request-id'));
    expect(call!.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(call!.headers['x-client-request-id']).toBe('req-7');
    expect(result.headers.get('x-client-request-id')).toBe('req-7');
    // Verified again here, independently of the subgraph's own check.
    const again = await forwardedIdentityVerifier(identityKey.jwks, 'orgs')(call!.headers[IDENTITY_HEADER]);
    expect(again).toMatchObject({ subject: 'maria', role: 'partner-member', organisationId: 'org-42' });
    // Signed for this subgraph only: another subgraph would refuse it.
    await expect(
      forwardedIdentityVerifier(identityKey.jwks, 'projects')(call!.headers[IDENTITY_HEADER]),
    ).rejects.toThrow(/not a valid gateway signature/);
  });

  it('accepts RS256 tokens as well', async () => {
    const token = await rs256.mint({ role: 'analyst', sub: 'ana' });
    const result = await query(gateway.url, WHOAMI, bearer(token));
    expect(result.errors).toBeUndefined();
    expect(result.data?.whoami).toMatchObject({ subject: 'ana', role: 'analyst', organisationId: null });
  });

  it('treats a caller without a token as anonymous, and reuses one anonymous signature', async () => {
    const first = await query(gateway.url, WHOAMI);
    const second = await query(gateway.url, WHOAMI);
    expect(first.data?.whoami).toEqual({
      subject: 'anonymous',
      role: 'anonymous',
      organisationId: null,
      scopes: [],
    });
    expect(second.status).toBe(200);
    expect(received).toHaveLength(2);
    expect(received[0]!.headers[IDENTITY_HEADER]).toBe(received[1]!.headers[IDENTITY_HEADER]);
    expect(received[0]!.headers['x-request-id']).not.toBe(received[1]!.headers['x-request-id']);
  });

  it("signs each authenticated request anew, with the gateway's request id, whatever id the caller sends", async () => {
    const token = await es256.mint({ role: 'coordinator' });
    const answers = [
      await query(gateway.url, WHOAMI, { ...bearer(token), 'x-request-id': 'same' }),
      await query(gateway.url, WHOAMI, { ...bearer(token), 'x-request-id': 'same' }),
    ];
    const ids = received.map((call) => {
      const payload = String(call.headers[IDENTITY_HEADER]).split('.')[1]!;
      return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { jti: string }).jti;
    });
    expect(ids).toEqual(answers.map((answer) => answer.headers.get('x-request-id')));
    expect(ids).toEqual(received.map((call) => call.headers['x-request-id']));
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids).not.toContain('same');
  });

  it('serves the public key of its signatures for partners’ subgraphs', async () => {
    const response = await fetch(gateway.url.replace(/\/graphql$/, IDENTITY_JWKS_PATH));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const jwks = (await response.json()) as JSONWebKeySet;
    expect(jwks).toEqual(identityKey.jwks);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(gateway.identityJwks).toEqual(identityKey.jwks);
  });

  /** Each bad credential: 401, UNAUTHENTICATED, the RFC 6750 challenge, and no subgraph call. */
  async function expectRefused(headers: Record<string, string>, message: RegExp, error = 'invalid_token') {
    const result = await query(gateway.url, WHOAMI, headers);
    expect(result.status).toBe(401);
    expect(result.data).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(result.errors![0]!.message).toMatch(message);
    expect(result.headers.get('www-authenticate')).toMatch(
      new RegExp(`^Bearer error="${error}", error_description="[^"\\\\]+"$`),
    );
    expect(received).toEqual([]);
  }

  it('refuses an expired token, saying when it expired', async () => {
    const token = await es256.mint({ role: 'analyst', expiresIn: -600 });
    await expectRefused(bearer(token), /^The token expired at \d{4}-\d\d-\d\dT[\d:.]+Z: get a new one/);
  });

  it('refuses a token that is not valid yet (nbf)', async () => {
    const token = await es256.mint({ role: 'analyst', notBefore: 3600, expiresIn: 7200 });
    await expectRefused(bearer(token), /^The token is not valid before \d{4}-.+Z/);
  });

  it('refuses a token from another issuer', async () => {
    const token = await es256.mint({ role: 'analyst', issuer: 'https://elsewhere.example' });
    await expectRefused(
      bearer(token),
      /issued by "https:\/\/elsewhere.example", but this hub accepts tokens issued by "https:\/\/idp.clusterpolisee.test"/,
    );
  });

  it('refuses a token meant for another audience', async () => {
    const token = await es256.mint({ role: 'analyst', audience: 'another-api' });
    await expectRefused(bearer(token), /meant for "another-api", but this hub is "clusterpolisee-hub-test"/);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({
      sub: 'mallory',
      role: 'admin',
      iss: ISSUER,
      aud: AUDIENCE,
      iat: now,
      exp: now + 600,
    })}.`;
    await expectRefused(
      bearer(token),
      /signed with "none": this hub accepts RS256 and ES256 signatures only/,
    );
  });

  it('refuses an HMAC token keyed with the issuer’s public key (algorithm confusion)', async () => {
    const rsaJwk = rs256.jwks.keys[0]! as JWK;
    const publicPem = createPublicKey({ key: rsaJwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const token = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256', kid: rsaJwk.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('mallory')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(Buffer.from(publicPem));
    await expectRefused(
      bearer(token),
      /signed with "HS256": this hub accepts RS256 and ES256 signatures only/,
    );
  });

  it('refuses a token changed after signing', async () => {
    const token = await es256.mint({ role: 'analyst', sub: 'eve' });
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${header}.${base64url({ ...claims, role: 'admin' })}.${signature}`;
    await expectRefused(bearer(tampered), /signature does not verify/);
  });

  it('refuses a token signed by a key it does not know', async () => {
    const token = await stranger.mint({ role: 'analyst' });
    await expectRefused(bearer(token), /signed with a key this hub does not know/);
  });

  it('refuses a token with a role the hub does not know, listing the roles', async () => {
    const token = await es256.mint({ role: 'superuser' });
    await expectRefused(
      bearer(token),
      /role "superuser" is not one this hub knows: .*partner-member, finance-officer, .*admin/,
    );
  });

  it('refuses an organisation-bound role without an organisation', async () => {
    const token = await es256.mint({ role: 'finance-officer' });
    await expectRefused(
      bearer(token),
      /A finance-officer token must name the organisation it acts for in an "org" claim/,
    );
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    await expectRefused(
      { authorization: 'Basic YWxpY2U6c2VjcmV0' },
      /must be "Bearer <token>"/,
      'invalid_request',
    );
    await expectRefused({ authorization: 'Bearer' }, /must be "Bearer <token>"/, 'invalid_request');
  });

  it('refuses a token that is not a JWT at all', async () => {
    await expectRefused(bearer('not.a.jwt'), /not a well-formed signed JWT/);
  });

  it('refuses a token valid for a hundred years, naming the longest it accepts', async () => {
    const token = await es256.mint({ role: 'admin', expiresIn: '100y' });
    await expectRefused(
      bearer(token),
      /^The token is valid for 36525 days \(from its "iat" to its "exp"\), longer than the 24 hours this hub accepts/,
    );
  });

  it('accepts a shorter maximum lifetime (GATEWAY_MAX_TOKEN_LIFETIME_SECONDS)', async () => {
    const strict = await gatewayWith({ maxTokenLifetimeSeconds: 600 });
    const token = await es256.mint({ role: 'analyst', expiresIn: '1h' });
    const refused = await query(strict.url, WHOAMI, bearer(token));
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.message).toMatch(/valid for 60 minutes .* longer than the 10 minutes/);
    const brief = await es256.mint({ role: 'analyst', expiresIn: '10m' });
    expect((await query(strict.url, WHOAMI, bearer(brief))).status).toBe(200);
  });

  it('refuses a token with a critical header extension it does not know, saying so', async () => {
    const key = tokenSigningKey(generateTokenKeyPem());
    const critical = await gatewayWith({
      auth: { jwks: key.jwks, issuer: ISSUER, audience: AUDIENCE },
    });
    const token = await new SignJWT({ role: 'analyst' })
      .setProtectedHeader({
        alg: key.algorithm,
        kid: key.kid,
        crit: ['urn:example:ext'],
        'urn:example:ext': 1,
      })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('ana')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key.privateKey, { crit: { 'urn:example:ext': true } });
    const result = await query(critical.url, WHOAMI, bearer(token));
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.message).toMatch(
      /^The token's header marks "urn:example:ext" as critical \("crit"\), and this hub supports no critical JWS header extensions/,
    );
    expect(result.errors?.[0]?.message).not.toMatch(/signed with|RS256/);
    expect(received).toEqual([]);
  });
});

describe('operation limits', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await gatewayWith();
  });

  async function expectRejected(
    text: string,
    limit: string,
    message: RegExp,
    code = 'GRAPHQL_VALIDATION_FAILED',
  ) {
    const result = await query(gateway.url, text);
    expect(result.status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toMatch(message);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code, limit });
    expect(received).toEqual([]);
  }

  it('runs an ordinary operation', async () => {
    const result = await query(gateway.url, '{ organisations { id name parent { name } } }');
    expect(result.errors).toBeUndefined();
    expect(received).toHaveLength(1);
  });

  it('rejects a query deeper than the limit before execution', async () => {
    const deep = `{ organisations { ${'parent { '.repeat(13)}id${' }'.repeat(13)} } }`;
    await expectRejected(
      deep,
      'maxDepth',
      /^Query depth limit of 10 exceeded, found 15\. Split the operation/,
    );
  });

  it('rejects too many aliases', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: organisations { id }`).join(' ');
    await expectRejected(`{ ${aliases} }`, 'maxAliases', /^Aliases limit of 15 exceeded, found 16\./);
  });

  it('rejects an operation over the cost limit, a list without @listSize counting GATEWAY_DEFAULT_LIST_SIZE', async () => {
    const strict = await gatewayWith({ limits: { maxCost: 100 } });
    // 50 organisations, then 50 more each with its parent.
    const result = await query(
      strict.url,
      '{ a: organisations { id } b: organisations { id parent { id } } }',
    );
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.message).toMatch(
      /^Query cost 150 exceeds the limit of 100 \(GATEWAY_MAX_COST\)\. Split the operation/,
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'maxCost',
      cost: 150,
    });
    expect(received).toEqual([]);
  });

  it('rejects too many directives', async () => {
    const fields = Array.from({ length: 51 }, () => 'id @skip(if: false)').join(' ');
    await expectRejected(
      `{ organisations { ${fields} } }`,
      'maxDirectives',
      /^Directives limit of 50 exceeded, found 51\./,
    );
  });

  it('stops parsing at the token limit', async () => {
    const result = await query(gateway.url, `{ organisations { ${'id '.repeat(2_100)}} }`);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.message).toMatch(/^Token limit of 2000 exceeded: parsing stopped there\./);
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_PARSE_FAILED',
      limit: 'maxTokens',
    });
    expect(received).toEqual([]);
  });

  it('refuses a body over GATEWAY_MAX_BODY_BYTES with 413', async () => {
    const small = await gatewayWith({ maxBodyBytes: 4_096 });
    const result = await query(small.url, `{ organisations { id } } # ${'x'.repeat(5_000)}`);
    expect(result.status).toBe(413);
    expect(result.errors?.[0]).toMatchObject({
      message: 'Request body exceeds 4096 bytes',
      extensions: { code: 'PAYLOAD_TOO_LARGE' },
    });
    expect(received).toEqual([]);
  });

  it('refuses batched requests unless enabled, and batches over the cap', async () => {
    const one = { query: '{ organisations { id } }' };
    const refused = await post(gateway.url, [one, one]);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused)).toMatch(/does not accept batched requests/);

    const batching = await gatewayWith({ maxBatchSize: 2 });
    const two = (await (
      await fetch(batching.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([one, one]),
      })
    ).json()) as Result[];
    expect(two).toHaveLength(2);
    expect(two[0]!.data).toEqual({ organisations: [{ id: 'o1' }, { id: 'o2' }] });
    received = [];
    const three = await post(batching.url, [one, one, one]);
    expect(three.status).toBe(400);
    expect(three.errors?.[0]?.message).toMatch(/at most 2 operations; this one holds 3/);
    expect(received).toEqual([]);
  });
});

describe('suggestions ("Did you mean ...?")', () => {
  // What is misspelt, how, and the name graphql-js would suggest.
  const misspelt: { what: string; query: string; variables?: Record<string, unknown>; hidden: string }[] = [
    { what: 'an enum value', query: '{ organisations(orderBy: NAMES) { id } }', hidden: 'NAME' },
    {
      what: 'an enum value in a variable',
      query: 'query($by: OrganisationOrder) { organisations(orderBy: $by) { id } }',
      variables: { by: 'NAMES' },
      hidden: 'NAME',
    },
    { what: 'a field', query: '{ organisations { nme } }', hidden: 'name' },
    { what: 'an argument', query: '{ organisations(frist: 1) { id } }', hidden: 'first' },
    {
      what: 'a type',
      query: 'query($by: OrganisationOrde) { organisations(orderBy: $by) { id } }',
      hidden: 'OrganisationOrder',
    },
  ];

  it.each(misspelt)(
    'are masked for $what when introspection is off',
    async ({ query: text, variables, hidden }) => {
      const closed = await gatewayWith({ introspection: false });
      const result = await post(closed.url, { query: text, variables });
      expect(result.status).toBe(400);
      expect(result.errors?.length).toBeGreaterThan(0);
      for (const error of result.errors!) {
        expect(error.message).not.toMatch(/Did you mean|Suggestion hidden/);
        expect(error.message).not.toContain(`"${hidden}"`);
      }
      expect(received).toEqual([]);
    },
  );

  it('are kept when introspection is on: they reveal nothing the schema does not', async () => {
    const open = await gatewayWith();
    const result = await post(open.url, {
      query: 'query($by: OrganisationOrder) { organisations(orderBy: $by) { id } }',
      variables: { by: 'NAMES' },
    });
    expect(result.errors?.[0]?.message).toMatch(/Did you mean the enum value "NAME"\?/);
  });
});

describe('rate limits', () => {
  let first: RunningGateway;
  let second: RunningGateway;
  beforeAll(async () => {
    // One database per run, shared by the two gateways as by two replicas.
    const rateLimit = {
      enabled: true,
      mongoUri: process.env.MONGODB_URI,
      database: `gateway_rl_${randomUUID().slice(0, 8)}`,
      points: 3,
      anonymousPoints: 2,
      windowSeconds: 60,
    };
    first = await gatewayWith({ rateLimit });
    second = await gatewayWith({ rateLimit });
  });

  it('shares one caller’s limit across gateways and answers 429 with Retry-After past it', async () => {
    const token = await es256.mint({ role: 'analyst', sub: `limited-${randomUUID()}` });
    const statuses = [];
    for (const gateway of [first, second, first]) {
      statuses.push((await query(gateway.url, '{ organisations { id } }', bearer(token))).status);
    }
    expect(statuses).toEqual([200, 200, 200]);

    const limited = await query(second.url, '{ organisations { id } }', bearer(token));
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: retryAfter,
    });
    expect(limited.errors?.[0]?.message).toMatch(
      /^Rate limit reached: 3 operations per 60 s for each caller\. Retry after \d+ s \(at .+Z\)\.$/,
    );
    expect(received).toHaveLength(3);

    // Another caller is not affected.
    const other = await es256.mint({ role: 'analyst', sub: `other-${randomUUID()}` });
    expect((await query(first.url, '{ organisations { id } }', bearer(other))).status).toBe(200);
  });

  it('limits anonymous callers by address, with a lower limit', async () => {
    const statuses = [];
    for (const gateway of [first, second, first]) {
      statuses.push((await query(gateway.url, '{ organisations { id } }')).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await query(second.url, '{ organisations { id } }');
    expect(limited.errors?.[0]?.message).toMatch(
      /for each anonymous client address.*Callers with a token may send 3\./,
    );
    expect(received).toHaveLength(2);
  });

  it('counts the requests one caller sends at once exactly', async () => {
    const token = await es256.mint({ role: 'analyst', sub: `burst-${randomUUID()}` });
    const statuses = await Promise.all(
      Array.from({ length: 8 }, () =>
        query(first.url, '{ organisations { id } }', bearer(token)).then((r) => r.status),
      ),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);
  });
});

describe('CORS and CSRF', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await gatewayWith({ corsOrigins: ['https://app.clusterpolisee.test', 'http://localhost:*'] });
  });

  const preflight = (origin: string) =>
    fetch(gateway.url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });

  it('answers the preflight of an allowed origin', async () => {
    for (const origin of ['https://app.clusterpolisee.test', 'http://localhost:5173']) {
      const response = await preflight(origin);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
      expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
    const result = await query(gateway.url, '{ organisations { id } }', {
      origin: 'https://app.clusterpolisee.test',
    });
    expect(result.status).toBe(200);
    expect(result.headers.get('access-control-allow-origin')).toBe('https://app.clusterpolisee.test');
    expect(result.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
    expect(result.headers.get('vary')).toMatch(/Origin/);
  });

  it('gives a disallowed origin no CORS headers', async () => {
    for (const origin of ['https://evil.example', 'http://localhost.evil.example:80']) {
      const response = await preflight(origin);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-headers')).toBeNull();
    }
    const result = await query(gateway.url, '{ organisations { id } }', { origin: 'https://evil.example' });
    expect(result.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a simple request a foreign page could send without a preflight (CSRF)', async () => {
    const response = await fetch(`${gateway.url}?query=${encodeURIComponent('{ organisations { id } }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
    expect(received).toEqual([]);
  });
});

describe('trusted documents', () => {
  let gateway: RunningGateway;
  const LISTED = '# The organisations by name\nquery OrgNames {\n  organisations {\n    name\n  }\n}\n';
  const id = createHash('sha256').update(LISTED).digest('hex');

  beforeAll(async () => {
    const operations = path.join(dir, 'operations');
    mkdirSync(operations);
    writeFileSync(path.join(operations, 'org-names.graphql'), LISTED);
    gateway = await gatewayWith({ trustedDocuments: { enabled: true, dir: operations } });
  });

  const NAMES = { organisations: [{ name: 'Alpha' }, { name: 'Beta' }] };

  it('runs a listed operation sent by its text, in any layout', async () => {
    expect((await query(gateway.url, LISTED)).data).toEqual(NAMES);
    expect((await query(gateway.url, 'query OrgNames { organisations { name } }')).data).toEqual(NAMES);
  });

  it('runs a listed operation sent by its id', async () => {
    expect((await post(gateway.url, { documentId: `sha256:${id}` })).data).toEqual(NAMES);
    const persisted = await post(gateway.url, {
      extensions: { persistedQuery: { version: 1, sha256Hash: id } },
    });
    expect(persisted.data).toEqual(NAMES);
  });

  it('refuses any other operation, naming the folder', async () => {
    const token = await es256.mint({ role: 'partner-member', org: 'o1' });
    for (const headers of [{}, bearer(token)]) {
      const result = await query(gateway.url, '{ organisations { id name } }', headers);
      expect(result.status).toBe(403);
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'OPERATION_NOT_TRUSTED' });
      expect(result.errors?.[0]?.message).toMatch(
        /runs only the operations listed in .*operations \(trusted documents\)/,
      );
    }
    const unknownId = await post(gateway.url, { documentId: `sha256:${'0'.repeat(64)}` });
    expect(unknownId.status).toBe(403);
    expect(received).toEqual([]);
  });

  it('lets analysts and admins send any operation', async () => {
    for (const role of ['analyst', 'admin']) {
      const token = await es256.mint({ role });
      const result = await query(gateway.url, '{ organisations { id name } }', bearer(token));
      expect(result.status).toBe(200);
      expect(result.data).toEqual({ organisations: ORGANISATIONS });
    }
  });
});
