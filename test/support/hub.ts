import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, type GatewayOptions, type RunningGateway } from '@clusterpolisee/gateway';
import { createTokenIssuer, type MintOptions, type TokenIssuer } from '@clusterpolisee/gateway/auth';
import { subgraphEnvKey } from '@clusterpolisee/gateway/config';
import { generateIdentityKeyPem, identitySigningKey } from '@clusterpolisee/kit/auth';
import {
  postGraphQL,
  startTestSubgraph,
  type GraphQLResponse,
  type TestSubgraph,
} from '@clusterpolisee/kit/testing';
import { loadLocalSubgraphs } from '@clusterpolisee/infra/seed';
import { composeSupergraph, formatCompositionProblem, supergraphFileContent } from '../../schema/composition';

/** Who a request acts as: a token minted for that role (and organisation), or anonymous when absent. */
export type HubCaller = Pick<MintOptions, 'role' | 'org' | 'sub'>;

export interface TestHub {
  gateway: RunningGateway;
  subgraphs: Record<string, TestSubgraph>;
  /** The identity provider the gateway trusts, to mint tokens for any role. */
  tokens: TokenIssuer;
  /** The gateway settings of this hub, for starting another gateway over the same subgraphs. */
  gatewaySettings: GatewayOptions;
  /** A GraphQL request to the gateway; anonymous unless `as` names a caller. */
  query<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    as?: HubCaller,
  ): Promise<GraphQLResponse<TData>>;
  /** Database commands sent by all subgraphs since the last reset. */
  commandCount(): number;
  resetCommandCounts(): void;
  close(): Promise<void>;
}

/**
 * The whole hub on free ports, as `npm start` runs it: every local subgraph of supergraph.yaml on
 * a fresh database of the test run's server, seeded with the ClusterPoliSEE facts (and synthetic
 * data at `scale`), trusting one gateway key, behind the real gateway reading the committed
 * supergraph (or, for another `supergraphYaml`, one composed from it) and trusting a test identity
 * provider. Rate limiting is off unless asked for: every test gateway shares one
 * database and calls from 127.0.0.1. Services log at `warn` (no access line per request in a
 * test's output); a test that reads a log gives its own `telemetry`.
 */
export async function startTestHub(
  options: {
    scale?: number;
    gateway?: GatewayOptions;
    /** Another list of subgraphs than schema/supergraph.yaml. */
    supergraphYaml?: string;
    /** The gateway's identity key (PKCS #8 PEM), for a subgraph started elsewhere that already trusts one. */
    identityKeyPem?: string;
  } = {},
): Promise<TestHub> {
  const identityKeyPem = options.identityKeyPem ?? generateIdentityKeyPem();
  const identityKey = await identitySigningKey(identityKeyPem);
  const tokens = createTokenIssuer({ issuer: 'clusterpolisee-test', audience: 'clusterpolisee-hub' });
  const local = await loadLocalSubgraphs({ yamlPath: options.supergraphYaml });
  const started = await Promise.all(
    local.map(async ({ subgraph, seed }) => {
      const running = await startTestSubgraph(subgraph, { identityKey });
      await seed?.(running.orm.em.fork(), { scale: options.scale ?? 1 });
      return running;
    }),
  );
  const subgraphs = Object.fromEntries(started.map((s) => [s.name, s]));
  const composed = options.supergraphYaml ? composeToTempFile(options.supergraphYaml) : undefined;
  const gatewaySettings: GatewayOptions = {
    port: 0,
    supergraphPath: composed?.file ?? join(__dirname, '../../schema/supergraph.graphql'),
    subgraphUrls: Object.fromEntries(started.map((s) => [subgraphEnvKey(s.name), s.url])),
    identityKeyPem,
    auth: { jwks: tokens.jwks, issuer: tokens.issuer, audience: tokens.audience },
    rateLimit: { enabled: false },
    telemetry: { logLevel: 'warn' },
  };
  const gateway = await startGateway({ ...gatewaySettings, ...options.gateway });
  return {
    gateway,
    subgraphs,
    tokens,
    gatewaySettings,
    query: async (query, variables, as) =>
      postGraphQL(
        gateway.url,
        query,
        variables,
        as ? { authorization: `Bearer ${await tokens.mint(as)}` } : {},
      ),
    commandCount: () => started.reduce((sum, s) => sum + s.commands.count(), 0),
    resetCommandCounts: () => started.forEach((s) => s.commands.reset()),
    async close() {
      await gateway.close();
      await Promise.all(started.map((s) => s.close()));
      composed?.remove();
    },
  };
}

function composeToTempFile(yamlPath: string): { file: string; remove(): void } {
  const outcome = composeSupergraph(yamlPath);
  if (outcome.errors) {
    throw new Error(
      `${yamlPath} does not compose:\n${outcome.errors.map(formatCompositionProblem).join('\n')}`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'test-hub-supergraph-'));
  const file = join(dir, 'supergraph.graphql');
  writeFileSync(file, supergraphFileContent(outcome.supergraphSdl));
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
