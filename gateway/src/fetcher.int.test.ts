// The subgraph fetcher's bound on response size, against real HTTP servers on loopback that answer
// far more than the limit: directly, and through a running gateway.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateIdentityKeyPem } from '@clusterpolisee/kit/auth';
import { GraphQLError } from 'graphql';
import { composeSubgraphs, supergraphFileContent } from '../../schema/composition';
import { createTokenIssuer } from './auth';
import { parseGatewayConfig } from './config';
import { createSubgraphAgent, createSubgraphFetcher } from './fetcher';
import { startGateway } from './server';

jest.setTimeout(30_000);

const MIB = 1024 * 1024;
const HUGE = 256 * MIB;

interface Served {
  /** Bytes of body the server managed to write before the client went away. */
  written: number;
  closedEarly: boolean;
}

/**
 * A server whose every answer is `{"data":{"blob":["xxx...", ...]}}` of about HUGE bytes, written
 * chunk by chunk as the client reads, optionally announcing its length. `served` records how
 * far each answer got.
 */
async function startHugeServer(
  announceLength: boolean,
): Promise<{ server: Server; url: string; served: Served[] }> {
  const served: Served[] = [];
  const chunk = `"${'x'.repeat(64 * 1024 - 3)}",`;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const record: Served = { written: 0, closedEarly: false };
      served.push(record);
      const head = '{"data":{"blob":[';
      const tail = '"end"]}}';
      const chunks = Math.floor((HUGE - head.length - tail.length) / chunk.length);
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(announceLength ? { 'content-length': head.length + chunks * chunk.length + tail.length } : {}),
      });
      res.on('close', () => {
        record.closedEarly = !res.writableFinished;
      });
      let sent = 0;
      res.write(head);
      const pump = () => {
        while (sent < chunks) {
          if (res.destroyed) return;
          sent++;
          record.written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end(tail);
      };
      pump();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, served };
}

const close = (server: Server) => new Promise((resolve) => server.close(resolve));

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the subgraph fetcher', () => {
  it('drops a streamed answer as soon as it passes the limit, naming the subgraph and the setting', async () => {
    const { server, url, served } = await startHugeServer(false);
    const agent = createSubgraphAgent();
    try {
      const fetcher = createSubgraphFetcher({
        subgraph: 'blobs',
        agent,
        timeoutMs: 20_000,
        maxResponseBytes: MIB,
      });
      const before = process.memoryUsage().rss;
      const error = await fetcher(url, { method: 'POST', body: '{}', headers: {} }).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(GraphQLError);
      expect((error as GraphQLError).message).toBe(
        'Subgraph "blobs" answered more than 1048576 bytes (SUBGRAPH_MAX_RESPONSE_BYTES); the answer was ' +
          'dropped. Ask for less (smaller pages, fewer fields).',
      );
      expect((error as GraphQLError).message).not.toContain('127.0.0.1');
      expect((error as GraphQLError).extensions).toEqual({
        code: 'SUBGRAPH_RESPONSE_TOO_LARGE',
        subgraph: 'blobs',
      });

      // The connection was closed: the server could not write its 256 MiB.
      await waitFor(() => served[0]?.closedEarly === true, 'the server to see the connection close');
      expect(served[0]!.written).toBeLessThan(HUGE / 4);
      expect(process.memoryUsage().rss - before).toBeLessThan(HUGE / 2);
    } finally {
      await agent.close();
      await close(server);
    }
  });

  it('refuses an answer whose announced length is over the limit without reading it', async () => {
    const { server, url, served } = await startHugeServer(true);
    const agent = createSubgraphAgent();
    try {
      const fetcher = createSubgraphFetcher({
        subgraph: 'blobs',
        agent,
        timeoutMs: 20_000,
        maxResponseBytes: MIB,
        maxResponseBytesVariable: 'SUBGRAPH_MAX_RESPONSE_BYTES_BLOBS',
      });
      await expect(fetcher(url, { method: 'POST', body: '{}', headers: {} })).rejects.toMatchObject({
        message: expect.stringContaining('(SUBGRAPH_MAX_RESPONSE_BYTES_BLOBS)'),
        extensions: { code: 'SUBGRAPH_RESPONSE_TOO_LARGE', subgraph: 'blobs' },
      });
      await waitFor(() => served[0]?.closedEarly === true, 'the server to see the connection close');
      expect(served[0]!.written).toBeLessThan(HUGE / 4);
    } finally {
      await agent.close();
      await close(server);
    }
  });

  it('passes an answer within the limit whole', async () => {
    const body = JSON.stringify({ data: { blob: ['y'.repeat(100_000)] } });
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = createSubgraphAgent();
    try {
      const fetcher = createSubgraphFetcher({
        subgraph: 'blobs',
        agent,
        timeoutMs: 5_000,
        maxResponseBytes: body.length,
      });
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
      const response = await fetcher(url, { method: 'POST', body: '{}', headers: {} });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(body);
    } finally {
      await agent.close();
      await close(server);
    }
  });
});

describe('the gateway with a subgraph that answers too much', () => {
  it('answers SUBGRAPH_RESPONSE_TOO_LARGE for that subgraph and stays up', async () => {
    const { server, url, served } = await startHugeServer(false);
    const dir = mkdtempSync(path.join(tmpdir(), 'fetcher-int-'));
    const issuer = createTokenIssuer({ issuer: 'https://idp.fetcher.test', audience: 'fetcher' });
    writeFileSync(path.join(dir, 'identity.key.pem'), generateIdentityKeyPem(), { mode: 0o600 });
    writeFileSync(path.join(dir, 'issuer.jwks.json'), JSON.stringify(issuer.jwks));
    writeFileSync(
      path.join(dir, 'blobs.graphql'),
      'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])\n' +
        'type Query { blob: [String!]! }\n',
    );
    const outcome = composeSubgraphs([
      { name: 'blobs', routingUrl: 'http://127.0.0.1:9/unused', schemaFile: path.join(dir, 'blobs.graphql') },
    ]);
    if (outcome.errors) throw new Error(outcome.errors.map((e) => e.message).join('\n'));
    writeFileSync(path.join(dir, 'supergraph.graphql'), supergraphFileContent(outcome.supergraphSdl));

    const gateway = await startGateway(
      // Through the env parser, as in production.
      parseGatewayConfig({
        GATEWAY_PORT: '0',
        GATEWAY_IDE: 'off',
        GATEWAY_RATE_LIMIT: 'off',
        AUTH_JWKS: path.join(dir, 'issuer.jwks.json'),
        AUTH_ISSUER: 'https://idp.fetcher.test',
        AUTH_AUDIENCE: 'fetcher',
        GATEWAY_IDENTITY_KEY_FILE: path.join(dir, 'identity.key.pem'),
        SUPERGRAPH_PATH: path.join(dir, 'supergraph.graphql'),
        SUBGRAPH_URL_BLOBS: url,
        SUBGRAPH_MAX_RESPONSE_BYTES_BLOBS: String(2 * MIB),
      }),
    );
    try {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ blob }' }),
      });
      const result = (await response.json()) as {
        data?: unknown;
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      };
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.message).toBe(
        'Subgraph "blobs" answered more than 2097152 bytes (SUBGRAPH_MAX_RESPONSE_BYTES_BLOBS); the answer ' +
          'was dropped. Ask for less (smaller pages, fewer fields).',
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'SUBGRAPH_RESPONSE_TOO_LARGE',
        subgraph: 'blobs',
      });
      expect(JSON.stringify(result)).not.toContain(url.replace(/\/graphql$/, ''));
      await waitFor(() => served[0]?.closedEarly === true, 'the server to see the connection close');
      expect(served[0]!.written).toBeLessThan(HUGE / 4);

      const health = await fetch(gateway.url.replace(/\/graphql$/, '/health'));
      expect(health.status).toBe(200);
    } finally {
      await gateway.close();
      await close(server);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
