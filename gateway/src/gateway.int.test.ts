// The gateway against real subgraphs over HTTP: two tiny federated services started here, composed
// with the project's composition library into a temporary supergraph file. The subgraphs verify
// the gateway's signed identity as the kit's do. Security itself is in security.int.test.ts.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
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
  type IdentitySigningKey,
} from '@clusterpolisee/kit/auth';
import { serveApollo, type RunningHttpService } from '@clusterpolisee/kit/http';
import { parse } from 'graphql';
import { composeSupergraph, supergraphFileContent } from '../../schema/composition';
import { createTokenIssuer, type TokenIssuer } from './auth';
import { parseGatewayConfig } from './config';
import { startGateway, type RunningGateway } from './server';

jest.setTimeout(30_000);

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';

const ORGS_SDL = `${LINK}
type Organisation @key(fields: "id") {
  id: ID!
  name: String!
}
type Query {
  organisations: [Organisation!]!
  slow(ms: Int! = 3000): String
}
`;

/** The projects subgraph; the running service already has `projectCount`, the first supergraph not. */
function projectsSdl(withCount: boolean): string {
  return `${LINK}
type Organisation @key(fields: "id") {
  id: ID!
  projects: [Project!]
  ${withCount ? 'projectCount: Int!' : ''}
}
type Project {
  id: ID!
  title: String!
}
`;
}

const ORGANISATIONS = [
  { id: 'o1', name: 'Alpha' },
  { id: 'o2', name: 'Beta' },
];
const PROJECTS: Record<string, { id: string; title: string }[]> = {
  o1: [{ id: 'p1', title: 'Cluster mapping' }],
  o2: [
    { id: 'p2', title: 'Policy lab' },
    { id: 'p3', title: 'Open data' },
  ],
};
const SLOW_MS = 3_000;

type SubgraphContext = { headers: Record<string, string | undefined> };
const ISSUER = 'https://idp.gateway-int.test';
const AUDIENCE = 'gateway-int';
type Resolvers = NonNullable<
  Extract<Parameters<typeof buildSubgraphSchema>[0], { resolvers?: unknown }>['resolvers']
>;
/** Headers each subgraph received, newest last. */
const received: Record<string, SubgraphContext['headers'][]> = { orgs: [], projects: [] };

async function startSubgraph(name: string, sdl: string, resolvers: Resolvers): Promise<RunningHttpService> {
  const apollo = new ApolloServer<SubgraphContext>({
    schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  const http = await serveApollo(apollo, {
    port: 0,
    host: '127.0.0.1',
    context: async (req) => {
      const identity = await verifiers[name]!(req.headers[IDENTITY_HEADER]);
      const headers = {
        authorization: req.headers.authorization,
        'x-request-id': req.headers['x-request-id'] as string | undefined,
        'x-client-request-id': req.headers['x-client-request-id'] as string | undefined,
        role: identity.role,
      };
      received[name]?.push(headers);
      return { headers };
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

let dir: string;
let supergraphPath: string;
let identityKey: IdentitySigningKey;
let verifiers: Record<string, ReturnType<typeof forwardedIdentityVerifier>>;
let issuer: TokenIssuer;
let orgs: RunningHttpService;
let projects: RunningHttpService;
let gateway: RunningGateway;
/** The JSON log lines of `gateway`. */
const gatewayLog: { level: string; msg: string }[] = [];

/** Composes the two subgraphs (files in the temp folder) and returns the supergraph file content. */
function compose(withCount: boolean): string {
  writeFileSync(path.join(dir, 'orgs.graphql'), ORGS_SDL);
  writeFileSync(path.join(dir, 'projects.graphql'), projectsSdl(withCount));
  const outcome = composeSupergraph(path.join(dir, 'supergraph.yaml'));
  if (outcome.errors) throw new Error(outcome.errors.map((e) => e.message).join('\n'));
  return supergraphFileContent(outcome.supergraphSdl);
}

function gatewaySettings(timeoutMs: number, env: Record<string, string> = {}) {
  // Through the env parser, as in production. The supergraph's routing URLs point nowhere: only the
  // SUBGRAPH_URL_* overrides lead to the running subgraphs.
  return parseGatewayConfig({
    GATEWAY_PORT: '0',
    AUTH_JWKS: path.join(dir, 'issuer.jwks.json'),
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    GATEWAY_IDENTITY_KEY_FILE: path.join(dir, 'identity.key.pem'),
    // The swap test below sends hundreds of anonymous requests; rate limits have their own test.
    GATEWAY_RATE_LIMIT: 'off',
    // The IDE has its own test (test/e2e/ide.e2e.test.ts); here browsers get the short note.
    GATEWAY_IDE: 'off',
    // No access line per request in the test's output; the log test below reads errors.
    LOG_LEVEL: 'warn',
    SUPERGRAPH_PATH: supergraphPath,
    SUBGRAPH_TIMEOUT_MS: String(timeoutMs),
    SUBGRAPH_URL_ORGS: orgs.url,
    SUBGRAPH_URL_PROJECTS: projects.url,
    ...env,
  });
}

interface GraphQLResult {
  status: number;
  headers: Headers;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function graphql(
  url: string,
  query: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as Omit<GraphQLResult, 'status' | 'headers'>;
  return { status: response.status, headers: response.headers, ...body };
}

async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const JOIN = '{ organisations { id name projects { title } } }';
const JOINED = {
  organisations: [
    { id: 'o1', name: 'Alpha', projects: [{ title: 'Cluster mapping' }] },
    { id: 'o2', name: 'Beta', projects: [{ title: 'Policy lab' }, { title: 'Open data' }] },
  ],
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gateway-int-'));
  supergraphPath = path.join(dir, 'supergraph.graphql');
  const identityPem = generateIdentityKeyPem();
  writeFileSync(path.join(dir, 'identity.key.pem'), identityPem, { mode: 0o600 });
  identityKey = await identitySigningKey(identityPem);
  verifiers = {
    orgs: forwardedIdentityVerifier(identityKey.jwks, 'orgs'),
    projects: forwardedIdentityVerifier(identityKey.jwks, 'projects'),
  };
  issuer = createTokenIssuer({ issuer: ISSUER, audience: AUDIENCE });
  writeFileSync(path.join(dir, 'issuer.jwks.json'), JSON.stringify(issuer.jwks));
  writeFileSync(
    path.join(dir, 'supergraph.yaml'),
    'subgraphs:\n' +
      '  orgs:\n    routing_url: http://127.0.0.1:9/unused\n    schema:\n      file: orgs.graphql\n' +
      '  projects:\n    routing_url: http://127.0.0.1:9/unused\n    schema:\n      file: projects.graphql\n',
  );

  orgs = await startSubgraph('orgs', ORGS_SDL, {
    Query: {
      organisations: () => ORGANISATIONS,
      slow: (_: unknown, { ms }: { ms: number }) =>
        new Promise((resolve) => {
          setTimeout(() => resolve('finally'), ms).unref();
        }),
    },
    Organisation: {
      __resolveReference: (ref: { id: string }) => ORGANISATIONS.find((o) => o.id === ref.id),
    },
  });
  projects = await startSubgraph('projects', projectsSdl(true), {
    Organisation: {
      __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
      projects: (org: { id: string }) => PROJECTS[org.id] ?? [],
      projectCount: (org: { id: string }) => PROJECTS[org.id]?.length ?? 0,
    },
  });

  writeFileSync(supergraphPath, compose(false));
  const settings = gatewaySettings(5_000);
  gateway = await startGateway({
    ...settings,
    telemetry: {
      ...settings.telemetry,
      logDestination: { write: (line: string) => gatewayLog.push(JSON.parse(line) as never) },
    },
  });
});

afterAll(async () => {
  await gateway?.close();
  await orgs?.close();
  await projects?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('gateway', () => {
  it('answers /health and /ready, and a browser with a short note', async () => {
    const base = gateway.url.replace(/\/graphql$/, '');
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', service: 'gateway' });

    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      service: 'gateway',
      checks: { supergraph: 'ok', subgraphs: 'ok' },
      details: {
        // These stand-in subgraphs serve no /ready of their own: answering HTTP counts as up.
        subgraphs: {
          orgs: expect.objectContaining({ status: 'no readiness endpoint', required: true }),
          projects: expect.objectContaining({ status: 'no readiness endpoint', required: true }),
        },
        database: expect.objectContaining({ status: expect.any(String) }),
        // The drift watch's warnings (drift-watch.int.test.ts), which never make the gateway unready.
        drift: expect.any(Object),
      },
    });

    for (const page of [`${base}/`, gateway.url]) {
      const note = await fetch(page, { headers: { accept: 'text/html' } });
      expect(note.status).toBe(200);
      const html = await note.text();
      expect(html).toContain('ClusterPoliSEE data hub');
      expect(html).toContain('GATEWAY_IDE=off');
      expect(html).not.toMatch(/cdn|apollographql\.com/i);
    }
  });

  it('joins both subgraphs into one answer', async () => {
    const result = await graphql(gateway.url, JOIN);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual(JOINED);
  });

  it("forwards the signed identity and its own request id to every subgraph, never the token, the client's id apart", async () => {
    received.orgs = [];
    received.projects = [];
    const token = await issuer.mint({ role: 'analyst' });
    const given = await graphql(gateway.url, JOIN, {
      authorization: `Bearer ${token}`,
      'x-request-id': 'req-42',
    });
    expect(given.errors).toBeUndefined();
    const gatewayId = given.headers.get('x-request-id');
    expect(gatewayId).toMatch(/^[0-9a-f-]{36}$/);
    expect(given.headers.get('x-client-request-id')).toBe('req-42');
    const sent = {
      authorization: undefined,
      'x-request-id': gatewayId,
      'x-client-request-id': 'req-42',
      role: 'analyst',
    };
    expect(received.orgs).toEqual([sent]);
    expect(received.projects).toEqual([sent]);

    received.orgs = [];
    received.projects = [];
    const generated = await graphql(gateway.url, JOIN);
    const id = generated.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.headers.has('x-client-request-id')).toBe(false);
    const anonymous = {
      authorization: undefined,
      'x-request-id': id,
      'x-client-request-id': undefined,
      role: 'anonymous',
    };
    expect(received.orgs).toEqual([anonymous]);
    expect(received.projects).toEqual([anonymous]);
  });

  it('serves a new field after the supergraph file changes, failing no request meanwhile', async () => {
    const COUNT = '{ organisations { id projectCount } }';
    const before = await graphql(gateway.url, COUNT);
    expect(before.errors?.[0]?.message).toMatch(/Cannot query field "projectCount"/);

    // Keep traffic going through the swap.
    let running = true;
    const failures: unknown[] = [];
    let answered = 0;
    const workers = Array.from({ length: 4 }, async () => {
      while (running) {
        const result = await graphql(gateway.url, JOIN).catch((error: unknown) => ({ error }));
        if ('error' in result || result.errors || JSON.stringify(result.data) !== JSON.stringify(JOINED))
          failures.push(result);
        answered++;
      }
    });

    // Replace the file the way editors and tools do: write elsewhere, then rename over it.
    const next = path.join(dir, 'supergraph.graphql.tmp');
    writeFileSync(next, compose(true));
    renameSync(next, supergraphPath);

    const after = await eventually(async () => {
      const result = await graphql(gateway.url, COUNT);
      return result.errors ? undefined : result;
    }, 'the gateway to serve projectCount');
    expect(after.data).toEqual({
      organisations: [
        { id: 'o1', projectCount: 1 },
        { id: 'o2', projectCount: 2 },
      ],
    });

    await new Promise((resolve) => setTimeout(resolve, 100));
    running = false;
    await Promise.all(workers);
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(0);
  });

  it('keeps the current schema when the file is broken', async () => {
    const errors = () => gatewayLog.filter((line) => line.level === 'error');
    const before = errors().length;
    try {
      writeFileSync(supergraphPath, 'this is { not a supergraph');
      await eventually(async () => (errors().length > before ? true : undefined), 'the error to be logged');
      expect(errors()[before]!.msg).toMatch(
        /supergraph .* is invalid, keeping the current schema: Syntax Error/,
      );

      const result = await graphql(gateway.url, '{ organisations { projectCount } }');
      expect(result.errors).toBeUndefined();
    } finally {
      writeFileSync(supergraphPath, compose(true));
    }
  });

  it('gives up on a slow subgraph after SUBGRAPH_TIMEOUT_MS with an error naming it', async () => {
    // Another subgraph's own timeout does not lengthen this one's.
    const impatient = await startGateway(gatewaySettings(300, { SUBGRAPH_TIMEOUT_MS_PROJECTS: '5000' }));
    try {
      const started = Date.now();
      const result = await graphql(impatient.url, '{ slow organisations { name } }');
      const elapsed = Date.now() - started;

      expect(elapsed).toBeLessThan(SLOW_MS);
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.message).toBe(
        'Subgraph "orgs" did not answer within 300 ms (SUBGRAPH_TIMEOUT_MS).',
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_TIMEOUT', subgraph: 'orgs' });
    } finally {
      await impatient.close();
    }
  });

  it("gives up on a slow subgraph after its own SUBGRAPH_TIMEOUT_MS_<NAME>, shorter than the others'", async () => {
    // Everyone may take 5 s, but orgs only 300 ms: its 3 s answer is cut off, projects still answer.
    const orgsImpatient = await startGateway(gatewaySettings(5_000, { SUBGRAPH_TIMEOUT_MS_ORGS: '300' }));
    try {
      const started = Date.now();
      const result = await graphql(orgsImpatient.url, '{ slow organisations { name } }');
      const elapsed = Date.now() - started;

      expect(elapsed).toBeLessThan(SLOW_MS);
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.message).toBe(
        'Subgraph "orgs" did not answer within 300 ms (SUBGRAPH_TIMEOUT_MS_ORGS).',
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_TIMEOUT', subgraph: 'orgs' });

      const joined = await graphql(orgsImpatient.url, JOIN);
      expect(joined.errors).toBeUndefined();
      expect(joined.data).toEqual(JOINED);
    } finally {
      await orgsImpatient.close();
    }
  });

  it('opens no connection beyond the machine on its own: no cloud metadata probes, no usage reports to Apollo', async () => {
    const outward: string[] = [];
    const connectAsBefore = Socket.prototype.connect;
    const connect = jest.spyOn(Socket.prototype, 'connect').mockImplementation(function (
      this: Socket,
      ...args: unknown[]
    ) {
      // net.connect hands over [options, callback]; socket.connect(options | port, host?) directly.
      const first = (Array.isArray(args[0]) ? args[0][0] : args[0]) as
        { host?: string; path?: string } | number;
      const host =
        typeof first === 'object'
          ? first.path
            ? 'localhost'
            : (first.host ?? 'localhost')
          : String(args[1] ?? 'localhost');
      if (!['localhost', '127.0.0.1', '::1'].includes(host)) outward.push(host);
      return Reflect.apply(connectAsBefore, this, args) as Socket;
    });
    const setting = process.env.APOLLO_TELEMETRY_DISABLED;
    delete process.env.APOLLO_TELEMETRY_DISABLED; // as on a server where nobody thought of it
    try {
      const quiet = await startGateway(gatewaySettings(5_000));
      try {
        expect((await graphql(quiet.url, JOIN)).data).toEqual(JOINED);
        await new Promise((resolve) => setTimeout(resolve, 500)); // the probes start on construction
        expect(outward).toEqual([]);
      } finally {
        await quiet.close();
      }
    } finally {
      connect.mockRestore();
      if (setting === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
      else process.env.APOLLO_TELEMETRY_DISABLED = setting;
    }
  });

  it('finishes running requests on close, without waiting for keep-alive clients to hang up', async () => {
    const closing = await startGateway(gatewaySettings(5_000));
    await graphql(closing.url, '{ organisations { id } }'); // a warm keep-alive connection
    const running = graphql(closing.url, '{ slow(ms: 300) }');
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = Date.now();
    await closing.close();
    expect(Date.now() - started).toBeLessThan(SLOW_MS); // not the 65 s keep-alive timeout
    expect((await running).data).toEqual({ slow: 'finally' });
    await expect(fetch(closing.url)).rejects.toThrow();
  });

  it('answers with partial data when a subgraph is down, and stays up', async () => {
    await projects.close();

    const onlyOrgs = await graphql(gateway.url, '{ organisations { id name } }');
    expect(onlyOrgs.errors).toBeUndefined();
    expect(onlyOrgs.data).toEqual({ organisations: ORGANISATIONS });

    const joined = await graphql(gateway.url, JOIN);
    expect(joined.data).toEqual({
      organisations: [
        { id: 'o1', name: 'Alpha', projects: null },
        { id: 'o2', name: 'Beta', projects: null },
      ],
    });
    expect(joined.errors?.[0]?.message).toMatch(/^Subgraph "projects" could not be reached \(\w+\)\.$/);
    expect(joined.errors?.[0]?.extensions).toMatchObject({
      code: 'SUBGRAPH_UNAVAILABLE',
      subgraph: 'projects',
    });

    const health = await fetch(gateway.url.replace(/\/graphql$/, '/health'));
    expect(health.status).toBe(200);
    expect((await graphql(gateway.url, '{ organisations { id } }')).errors).toBeUndefined();
  });
});
