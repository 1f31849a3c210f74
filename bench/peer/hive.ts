/**
 * The peer gateway for `npm run bench`: Hive Gateway serving the same supergraph, one process,
 * with in-flight request deduplication off, inbound and outbound, so that it does the same work as
 * the hub's gateway (every request is planned and executed and every subgraph call sent, identical
 * concurrent ones included).
 *
 * The hub's subgraphs accept only requests carrying the gateway's signed identity, so Hive signs
 * one too, the way the hub's gateway signs an anonymous caller: one signature per subgraph reused
 * for 30 s (the bench's callers are anonymous).
 *
 * Env: HIVE_PORT, SUPERGRAPH_PATH (the bench rewrites the routing URLs), HIVE_IDENTITY_KEY_FILE
 * (the gateway identity key the subgraphs trust), HIVE_SUBGRAPH_NAMES (JSON: routing URL -> name),
 * all required.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import {
  ANONYMOUS,
  IDENTITY_HEADER,
  identitySigningKey,
  signForwardedIdentity,
} from '@clusterpolisee/kit/auth';

const port = Number(process.env.HIVE_PORT);
const supergraphPath = process.env.SUPERGRAPH_PATH;
const keyFile = process.env.HIVE_IDENTITY_KEY_FILE;
const namesByUrl = JSON.parse(process.env.HIVE_SUBGRAPH_NAMES ?? '{}') as Record<string, string>;
if (!port || !supergraphPath || !keyFile) {
  throw new Error('set HIVE_PORT, SUPERGRAPH_PATH, HIVE_IDENTITY_KEY_FILE and HIVE_SUBGRAPH_NAMES');
}
const key = identitySigningKey(readFileSync(keyFile, 'utf8'));
const signed = new Map<string, { signature: Promise<string>; until: number }>();

function anonymousIdentity(subgraph: string): Promise<string> {
  const cached = signed.get(subgraph);
  if (cached && cached.until > Date.now()) return cached.signature;
  const signature = key.then((k) => signForwardedIdentity(ANONYMOUS, k, subgraph, randomUUID()));
  signed.set(subgraph, { signature, until: Date.now() + 30_000 });
  return signature;
}

const gateway = createGatewayRuntime({
  supergraph: readFileSync(supergraphPath, 'utf8'),
  inboundInflightRequestDeduplication: false,
  // Outbound as well: by default identical concurrent subgraph calls are sent once and their answer
  // shared, so under a benchmark's identical requests Hive would skip work the hub's gateway does.
  transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } },
  graphqlEndpoint: '/graphql',
  logging: 'error',
  landingPage: false,
  graphiql: false,
  plugins: () => [
    {
      async onFetch({ url, options, setOptions }) {
        const subgraph = namesByUrl[url];
        if (!subgraph) return;
        setOptions({
          ...options,
          headers: {
            ...(options.headers as Record<string, string>),
            [IDENTITY_HEADER]: await anonymousIdentity(subgraph),
          },
        });
      },
    },
  ],
});

const server = createServer(gateway);
server.listen(port, '127.0.0.1', () => console.log(`hive gateway on http://127.0.0.1:${port}/graphql`));

const stop = () => {
  server.close();
  void Promise.resolve(gateway.dispose()).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
