// Telemetry read from real output: a request with a caller's `traceparent` through the real
// gateway and a real subgraph on the real database, its spans caught by in-memory exporters, its
// log lines by the services' log destinations, and both services' /metrics scraped.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { startGateway, type RunningGateway } from '@clusterpolisee/gateway';
import { createTokenIssuer } from '@clusterpolisee/gateway/auth';
import { generateIdentityKeyPem, identitySigningKey } from '@clusterpolisee/kit/auth';
import { InMemorySpanExporter, type ReadableSpan } from '@clusterpolisee/kit/telemetry';
import { uniqueDatabaseName } from '@clusterpolisee/kit/testing';
import type { RunningSubgraph } from '@clusterpolisee/kit';
import { loadLocalSubgraphs } from '@clusterpolisee/infra/seed';
import type { JSONWebKeySet } from 'jose';
import {
  dashboardExpressions,
  exposedNames,
  metricNamesIn,
  readRules,
} from '../../infra/observability/metric-names';

/** A pino destination keeping every line written. */
function lineCatcher(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== ''),
      );
      done();
    },
  });
  return { stream, lines };
}

const QUERY = `query TelemetryProbe { organisations(first: 3) { nodes { id name people { id } } } }`;

let gateway: RunningGateway;
let partners: RunningSubgraph;
let databaseName: string;
const gatewaySpans = new InMemorySpanExporter();
const subgraphSpans = new InMemorySpanExporter();
const gatewayLog = lineCatcher();
const subgraphLog = lineCatcher();
const tokens = createTokenIssuer({ issuer: 'telemetry-test', audience: 'clusterpolisee-hub' });

beforeAll(async () => {
  const identityKeyPem = generateIdentityKeyPem();
  const identityKey = await identitySigningKey(identityKeyPem);
  const [local] = await loadLocalSubgraphs({ only: ['partners'] });
  databaseName = uniqueDatabaseName('telemetry');
  partners = await local!.subgraph.start({
    port: 0,
    host: '127.0.0.1',
    mongoUri: process.env.MONGODB_URI!,
    databaseName,
    identityKeys: identityKey.jwks as JSONWebKeySet,
    telemetry: { spanExporters: [subgraphSpans], logDestination: subgraphLog.stream },
  });
  await local!.seed?.(partners.orm.em.fork(), { scale: 1 });
  gateway = await startGateway({
    port: 0,
    supergraphPath: join(__dirname, '../../schema/supergraph.graphql'),
    subgraphUrls: { PARTNERS: partners.url },
    identityKeyPem,
    auth: { jwks: tokens.jwks, issuer: tokens.issuer, audience: tokens.audience },
    rateLimit: { enabled: false },
    driftCheckMs: 0,
    telemetry: { spanExporters: [gatewaySpans], logDestination: gatewayLog.stream },
  });
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await partners?.orm.em.getConnection().getDb().dropDatabase();
  await partners?.close();
});

async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

/** The value of the series named `name` whose labels include every one of `labels`. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const [series, value] = [line.slice(0, line.lastIndexOf(' ')), line.slice(line.lastIndexOf(' ') + 1)];
    if (Object.entries(labels).every(([key, wanted]) => series.includes(`${key}="${wanted}"`)))
      return Number(value);
  }
  return undefined;
}

describe('telemetry of one request through the gateway and a subgraph', () => {
  const traceId = randomBytes(16).toString('hex');
  const callerSpanId = randomBytes(8).toString('hex');
  let requestId: string;
  let gatewayLinesBefore: number;
  let subgraphLinesBefore: number;

  beforeAll(async () => {
    gatewayLinesBefore = gatewayLog.lines.length;
    subgraphLinesBefore = subgraphLog.lines.length;
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await tokens.mint({ role: 'admin' })}`,
        traceparent: `00-${traceId}-${callerSpanId}-01`,
        'apollographql-client-name': 'telemetry-test',
        'apollographql-client-version': '1.2.3',
      },
      body: JSON.stringify({ query: QUERY, operationName: 'TelemetryProbe' }),
    });
    const body = (await response.json()) as {
      data?: { organisations: { nodes: unknown[] } };
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    expect(body.data?.organisations.nodes.length).toBe(3);
    requestId = response.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    // The access lines are written when the answers are finished: wait for both services'.
    for (let i = 0; i < 50; i++) {
      const done = [gatewayLog.lines, subgraphLog.lines].every((lines) =>
        lines.some((line) => line.includes('"access":true') && line.includes(traceId)),
      );
      if (done) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  it('records spans of the gateway, the subgraph and the database commands under the caller’s trace id', () => {
    const ours = (spans: ReadableSpan[]) => spans.filter((span) => span.spanContext().traceId === traceId);
    const atGateway = ours(gatewaySpans.getFinishedSpans());
    const atSubgraph = ours(subgraphSpans.getFinishedSpans());
    const serviceOf = (span: ReadableSpan) => span.resource.attributes['service.name'];

    const gatewayRequest = atGateway.find((span) => span.name === 'graphql TelemetryProbe');
    expect(gatewayRequest).toBeDefined();
    expect(serviceOf(gatewayRequest!)).toBe('gateway');
    // The caller's span is the parent: its traceparent was honoured.
    expect(gatewayRequest!.parentSpanContext?.spanId).toBe(callerSpanId);
    const call = atGateway.find((span) => span.name === 'subgraph partners');
    expect(call).toBeDefined();

    const subgraphRequest = atSubgraph.find((span) => span.name.startsWith('graphql TelemetryProbe'));
    expect(subgraphRequest).toBeDefined();
    expect(serviceOf(subgraphRequest!)).toBe('partners');
    // The gateway propagated its call's span: the subgraph's request is its child.
    expect(subgraphRequest!.parentSpanContext?.spanId).toBe(call!.spanContext().spanId);

    const commands = atSubgraph.filter((span) => span.attributes['db.system.name'] === 'mongodb');
    expect(commands.map((span) => span.attributes['db.operation.name'])).toContain('find');
    const ids = new Set(atSubgraph.map((span) => span.spanContext().spanId));
    for (const command of commands) {
      expect(ids.has(command.parentSpanContext!.spanId)).toBe(true);
      expect(command.attributes['db.collection.name']).toEqual(expect.any(String));
    }
  });

  it('writes every log line of the request as JSON with its request id and trace id', () => {
    const lines = [
      ...gatewayLog.lines.slice(gatewayLinesBefore),
      ...subgraphLog.lines.slice(subgraphLinesBefore),
    ].map((line) => JSON.parse(line) as Record<string, unknown>);
    const ofRequest = lines.filter((line) => line.traceId === traceId);
    expect(ofRequest.length).toBeGreaterThanOrEqual(2);
    for (const line of ofRequest) {
      expect(line.requestId).toBe(requestId);
      expect(['gateway', 'partners']).toContain(line.service);
    }
    const access = ofRequest.filter((line) => line.access === true);
    expect(access.map((line) => line.service).sort()).toEqual(['gateway', 'partners']);
    expect(access.find((line) => line.service === 'gateway')).toMatchObject({
      operation: 'TelemetryProbe',
      clientName: 'telemetry-test',
      clientVersion: '1.2.3',
      status: 200,
      durationMs: expect.any(Number),
    });
    // Lines of no request (start, stop) carry no request id; none of this request's lost it.
    expect(lines.filter((line) => line.requestId === requestId)).toHaveLength(ofRequest.length);
  });

  it('shows the operation and the subgraph call in /metrics of the gateway and of the subgraph', async () => {
    const atGateway = await scrape(new URL('/metrics', gateway.url).toString());
    const client = { client_name: 'telemetry-test', client_version: '1.2.3' };
    expect(
      sample(atGateway, 'hub_requests_total', { operation: 'TelemetryProbe', ...client, status: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(atGateway, 'hub_request_duration_seconds_count', { operation: 'TelemetryProbe', ...client }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(atGateway, 'hub_subgraph_calls_total', { subgraph: 'partners', result: 'ok' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(atGateway, 'hub_subgraph_call_duration_seconds_count', { subgraph: 'partners' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(atGateway, 'hub_query_plan_cache_total', { result: 'miss' })).toBeGreaterThanOrEqual(1);
    expect(atGateway).toMatch(/^process_cpu_seconds_total\{service="gateway"\} /m);

    const atSubgraph = await scrape(new URL('/metrics', partners.url).toString());
    // The gateway names its call to the subgraph after the operation.
    expect(
      sample(atSubgraph, 'hub_requests_total', { operation: 'TelemetryProbe__partners__0', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(atSubgraph, 'hub_db_command_duration_seconds_count', { command: 'find', service: 'partners' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(atSubgraph, 'hub_dataloader_batch_size_count', { service: 'partners' }),
    ).toBeGreaterThanOrEqual(1);
    expect(atSubgraph).not.toContain('service="gateway"');
  });

  it('exposes every metric the dashboard and the alert rules read', async () => {
    const exposed = new Set([
      ...exposedNames(await scrape(new URL('/metrics', gateway.url).toString())),
      ...exposedNames(await scrape(new URL('/metrics', partners.url).toString())),
    ]);
    const used = new Set(
      [
        ...dashboardExpressions(),
        ...readRules().groups.flatMap((group) => group.rules.map((rule) => rule.expr)),
      ].flatMap(metricNamesIn),
    );
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((name) => !exposed.has(name))).toEqual([]);
  });
});
