// Partners' subgraphs that misbehave, served over real HTTP on 127.0.0.1 behind a real gateway:
// one drifted from the SDL the supergraph was composed with, one whose resolver crashes with its
// stack trace in the answer, one answering 500 with an HTML page, and some answering 200 with
// something that is no GraphQL response. Clients must get a stable code naming the subgraph and
// the request, nothing of the partner's internals; the gateway's log must get those.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { badUserInput } from '@clusterpolisee/kit';
import { generateIdentityKeyPem } from '@clusterpolisee/kit/auth';
import { serveApollo, type RunningHttpService } from '@clusterpolisee/kit/http';
import { parse } from 'graphql';
import { composeSupergraph, supergraphFileContent } from '../../schema/composition';
import { createTokenIssuer } from './auth';
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
}
`;
/** A partner's field on Organisation, as published (and composed into the supergraph). */
const partnerSdl = (fields: string) => `${LINK}
type Organisation @key(fields: "id") {
  id: ID!
  ${fields}
}
`;
/** What each partner published; the drifted one's running service lacks `rating`. */
const PUBLISHED: Record<string, string> = {
  orgs: ORGS_SDL,
  drifted: partnerSdl('rating: Int\n  label: String'),
  crashing: partnerSdl('secret: String'),
  html: partnerSdl('page: String'),
  text: partnerSdl('plain: String'),
  nodata: partnerSdl('nothing: String'),
  noentities: partnerSdl('hollow: String'),
  checked: partnerSdl('checked(code: String!): String'),
};

const INTERNAL_PATH = '/srv/partner-internal/resolvers/secret.js';
const HTML_PAGE =
  '<html><body><h1>500 Internal Server Error</h1><pre>at handler (/opt/partner/app.js:12:7) db=10.1.2.3:5432</pre></body></html>';
const ORGANISATIONS = [
  { id: 'o1', name: 'Alpha' },
  { id: 'o2', name: 'Beta' },
];

type Resolvers = NonNullable<
  Extract<Parameters<typeof buildSubgraphSchema>[0], { resolvers?: unknown }>['resolvers']
>;

async function startSubgraph(sdl: string, resolvers: Resolvers): Promise<RunningHttpService> {
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    // As a careless partner runs it: its stack traces go out in every error.
    includeStacktraceInErrorResponses: true,
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  const http = await serveApollo(apollo, { port: 0, host: '127.0.0.1', context: async () => ({}) });
  return {
    ...http,
    close: async () => {
      await http.close();
      await apollo.stop();
    },
  };
}

/** A plain HTTP server answering every request with `status`, `type` and `body`. */
async function startRaw(status: number, type: string, body: string): Promise<RunningHttpService> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  } as RunningHttpService;
}

const byReference = { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) };

let dir: string;
let gateway: RunningGateway;
const services: Record<string, RunningHttpService> = {};
let logged: string[] = [];
let consoleError: jest.SpyInstance;
/** The gateway's JSON log lines (its telemetry logger), kept with what reaches console.error. */
const gatewayLog = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logged.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== ''),
    );
    done();
  },
});

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'subgraph-errors-int-'));
  services.orgs = await startSubgraph(ORGS_SDL, {
    Query: { organisations: () => ORGANISATIONS },
    Organisation: { __resolveReference: (ref: { id: string }) => ORGANISATIONS.find((o) => o.id === ref.id) },
  });
  // Drifted: `rating` was removed from the running service after it was published.
  services.drifted = await startSubgraph(partnerSdl('label: String'), {
    Organisation: { ...byReference, label: (o: { id: string }) => `label:${o.id}` },
  });
  services.crashing = await startSubgraph(PUBLISHED.crashing!, {
    Organisation: {
      ...byReference,
      secret: () => {
        throw new Error(`ECONNREFUSED mongodb://admin:hunter2@10.1.2.3:27017 in ${INTERNAL_PATH}`);
      },
    },
  });
  services.checked = await startSubgraph(PUBLISHED.checked!, {
    Organisation: {
      ...byReference,
      checked: (_: unknown, { code }: { code: string }) => {
        throw badUserInput('code', `"${code}" is not a NUTS code`);
      },
    },
  });
  services.html = await startRaw(500, 'text/html', HTML_PAGE);
  services.text = await startRaw(200, 'text/plain', 'OK from partner-internal.example:8443');
  services.nodata = await startRaw(
    200,
    'application/json',
    '{"result":"ok","host":"partner-internal.example"}',
  );
  services.noentities = await startRaw(
    200,
    'application/json',
    '{"data":{"host":"partner-internal.example"}}',
  );

  const yaml = ['subgraphs:'];
  for (const [name, sdl] of Object.entries(PUBLISHED)) {
    writeFileSync(path.join(dir, `${name}.graphql`), sdl);
    yaml.push(
      `  ${name}:`,
      '    routing_url: http://127.0.0.1:9/unused',
      '    schema:',
      `      file: ${name}.graphql`,
    );
  }
  writeFileSync(path.join(dir, 'supergraph.yaml'), `${yaml.join('\n')}\n`);
  const outcome = composeSupergraph(path.join(dir, 'supergraph.yaml'));
  if (outcome.errors) throw new Error(outcome.errors.map((e) => e.message).join('\n'));
  writeFileSync(path.join(dir, 'supergraph.graphql'), supergraphFileContent(outcome.supergraphSdl));

  const issuer = createTokenIssuer({
    issuer: 'https://idp.subgraph-errors.test',
    audience: 'subgraph-errors',
  });
  writeFileSync(path.join(dir, 'issuer.jwks.json'), JSON.stringify(issuer.jwks));
  writeFileSync(path.join(dir, 'identity.key.pem'), generateIdentityKeyPem(), { mode: 0o600 });
  gateway = await startGateway(
    parseGatewayConfig(
      {
        GATEWAY_PORT: '0',
        AUTH_JWKS: path.join(dir, 'issuer.jwks.json'),
        AUTH_ISSUER: 'https://idp.subgraph-errors.test',
        AUTH_AUDIENCE: 'subgraph-errors',
        GATEWAY_IDENTITY_KEY_FILE: path.join(dir, 'identity.key.pem'),
        GATEWAY_RATE_LIMIT: 'off',
        GATEWAY_IDE: 'off',
        SUPERGRAPH_PATH: path.join(dir, 'supergraph.graphql'),
        ...Object.fromEntries(
          Object.entries(services).map(([name, s]) => [`SUBGRAPH_URL_${name.toUpperCase()}`, s.url]),
        ),
      },
      { telemetry: { logDestination: gatewayLog } },
    ),
  );
});

afterAll(async () => {
  await gateway?.close();
  await Promise.all(Object.values(services).map((service) => service.close()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  logged = [];
  consoleError = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    logged.push(args.map(String).join(' '));
  });
});

afterEach(() => consoleError.mockRestore());

interface Answer {
  requestId: string;
  raw: string;
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
}

async function ask(query: string): Promise<Answer> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const raw = await response.text();
  return { requestId: response.headers.get('x-request-id') ?? '', raw, ...(JSON.parse(raw) as object) };
}

/** Nothing in the serialized answer betrays a subgraph's internals. */
function expectNothingInternal(answer: Answer, subgraph: string): void {
  const url = services[subgraph]!.url;
  const port = String(services[subgraph]!.port);
  for (const leak of [
    url,
    '127.0.0.1',
    `:${port}`,
    'stacktrace',
    '"response"',
    '    at ',
    INTERNAL_PATH,
    '/opt/partner',
    '<html',
    'partner-internal.example',
    '10.1.2.3',
    'hunter2',
    'Bad Request',
    'Internal Server Error',
    'Cannot query field',
  ]) {
    expect(answer.raw).not.toContain(leak);
  }
}

/** The one log line of `subgraph`'s failure in this request, parsed. */
function logLine(answer: Answer, subgraph: string): { line: string; entry: Record<string, unknown> } {
  const lines = logged.filter(
    (line) => line.includes(answer.requestId) && line.includes(`"subgraph":"${subgraph}"`),
  );
  expect(lines).toHaveLength(1);
  const line = lines[0]!;
  const entry = JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>;
  expect(entry).toMatchObject({ event: 'subgraph_error', requestId: answer.requestId, subgraph });
  return { line, entry };
}

function expectMasked(answer: Answer, subgraph: string, field: string): void {
  expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(answer.data).toEqual({
    organisations: ORGANISATIONS.map(({ id }) => ({ id, [field]: null })),
  });
  expect(answer.errors).toHaveLength(1);
  expect(answer.errors![0]).toMatchObject({
    message: `Subgraph "${subgraph}" failed (request ${answer.requestId}).`,
    extensions: { code: 'SUBGRAPH_ERROR', subgraph, requestId: answer.requestId },
  });
  expect(Object.keys(answer.errors![0]!.extensions!).sort()).toEqual(['code', 'requestId', 'subgraph']);
  expectNothingInternal(answer, subgraph);
}

describe('a misbehaving partner subgraph', () => {
  it('drifted from its published SDL: SUBGRAPH_ERROR to the client, the 400 and its URL in the log', async () => {
    const answer = await ask('{ organisations { id rating } }');
    expectMasked(answer, 'drifted', 'rating');
    const { line, entry } = logLine(answer, 'drifted');
    expect(entry.cause).toMatchObject({
      message: '400: Bad Request',
      status: 400,
      url: services.drifted!.url,
    });
    expect(line).toContain('Cannot query field');
    expect(line).toContain('rating');
  });

  it('crashing in a resolver: SUBGRAPH_ERROR to the client, its message and stack trace in the log', async () => {
    const answer = await ask('{ organisations { id secret } }');
    // One error per entity; the client gets each at its path, all masked.
    expect(answer.errors!.length).toBeGreaterThanOrEqual(1);
    for (const error of answer.errors!) {
      expect(error).toMatchObject({
        message: `Subgraph "crashing" failed (request ${answer.requestId}).`,
        extensions: { code: 'SUBGRAPH_ERROR', subgraph: 'crashing', requestId: answer.requestId },
      });
    }
    expect(answer.data).toEqual({ organisations: ORGANISATIONS.map(({ id }) => ({ id, secret: null })) });
    expectNothingInternal(answer, 'crashing');
    const lines = logged.filter(
      (line) => line.includes(answer.requestId) && line.includes('"subgraph":"crashing"'),
    );
    expect(lines).toHaveLength(answer.errors!.length);
    expect(lines[0]).toContain(INTERNAL_PATH);
    expect(lines[0]).toContain('hunter2');
    expect(lines[0]).toContain('    at '); // the stack, escaped onto one line
    expect(lines[0]).not.toContain('\n');
  });

  it('answering 500 with an HTML page: SUBGRAPH_ERROR to the client, the page in the log', async () => {
    const answer = await ask('{ organisations { id page } }');
    expectMasked(answer, 'html', 'page');
    const { entry } = logLine(answer, 'html');
    expect(entry.cause).toMatchObject({ status: 500, url: services.html!.url, body: HTML_PAGE });
  });

  it.each([
    ['text', 'plain', 'OK from partner-internal.example:8443'],
    ['nodata', 'nothing', '"result":"ok"'],
    ['noentities', 'hollow', '"host":"partner-internal.example"'],
  ])(
    'answering 200 with no GraphQL response (%s): SUBGRAPH_ERROR, the body in the log',
    async (subgraph, field, body) => {
      const answer = await ask(`{ organisations { id ${field} } }`);
      expectMasked(answer, subgraph, field);
      const { line } = logLine(answer, subgraph);
      expect(line).toContain(body.replaceAll('"', '\\"'));
      expect(line).toContain(services[subgraph]!.url);
    },
  );

  it('failing while another answers: the other fields stay, each failure named', async () => {
    const answer = await ask('{ organisations { id name label page } }');
    expect(answer.data).toEqual({
      organisations: ORGANISATIONS.map(({ id, name }) => ({ id, name, label: `label:${id}`, page: null })),
    });
    expect(answer.errors?.map((e) => e.extensions)).toEqual([
      { code: 'SUBGRAPH_ERROR', subgraph: 'html', requestId: answer.requestId },
    ]);
  });

  it('raising a public error on purpose: its message and code pass, its stack trace does not', async () => {
    const answer = await ask('{ organisations { id checked(code: "XX") } }');
    expect(answer.errors!.length).toBeGreaterThanOrEqual(1);
    for (const error of answer.errors!) {
      expect(error.message).toBe('code: "XX" is not a NUTS code');
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'code', subgraph: 'checked' });
      expect(error.path).toEqual(['organisations', expect.any(Number), 'checked']);
    }
    expect(answer.raw).not.toContain('stacktrace');
    expect(answer.raw).not.toContain('    at ');
    // Only the request's access line: no error is logged for it.
    expect(
      logged.filter((line) => line.includes(answer.requestId) && !line.includes('"access":true')),
    ).toEqual([]);
  });

  it("down: the fetcher's SUBGRAPH_UNAVAILABLE keeps its message, gains the request id, no address", async () => {
    const down = await startRaw(200, 'application/json', '{}');
    const { url } = down;
    await down.close();
    const other = await startGateway(
      parseGatewayConfig(
        {
          GATEWAY_PORT: '0',
          AUTH_JWKS: path.join(dir, 'issuer.jwks.json'),
          AUTH_ISSUER: 'https://idp.subgraph-errors.test',
          AUTH_AUDIENCE: 'subgraph-errors',
          GATEWAY_IDENTITY_KEY_FILE: path.join(dir, 'identity.key.pem'),
          GATEWAY_RATE_LIMIT: 'off',
          GATEWAY_IDE: 'off',
          SUPERGRAPH_PATH: path.join(dir, 'supergraph.graphql'),
          ...Object.fromEntries(
            Object.entries(services).map(([name, s]) => [`SUBGRAPH_URL_${name.toUpperCase()}`, s.url]),
          ),
          SUBGRAPH_URL_HTML: url,
        },
        { telemetry: { logDestination: gatewayLog } },
      ),
    );
    try {
      const response = await fetch(other.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ organisations { id page } }' }),
      });
      const raw = await response.text();
      const requestId = response.headers.get('x-request-id');
      const answer = JSON.parse(raw) as Answer;
      expect(answer.errors?.[0]?.message).toMatch(/^Subgraph "html" could not be reached \(\w+\)\.$/);
      expect(answer.errors?.[0]?.extensions).toEqual({
        code: 'SUBGRAPH_UNAVAILABLE',
        subgraph: 'html',
        requestId,
      });
      expect(raw).not.toContain(url);
      expect(raw).not.toContain('127.0.0.1');
      expect(logged.some((line) => line.includes(requestId!) && line.includes(url))).toBe(true);
    } finally {
      await other.close();
    }
  });
});
