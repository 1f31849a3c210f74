/**
 * The peer gateway for `npm run bench`: Hive Gateway serving the same supergraph, one process,
 * with inbound in-flight request deduplication off so that it does the same work as the hub's
 * gateway (every request is planned and executed, identical concurrent requests included).
 *
 * Env: HIVE_PORT (required), SUPERGRAPH_PATH (required; the bench rewrites the routing URLs).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';

const port = Number(process.env.HIVE_PORT);
const supergraphPath = process.env.SUPERGRAPH_PATH;
if (!port || !supergraphPath) throw new Error('set HIVE_PORT and SUPERGRAPH_PATH');

const gateway = createGatewayRuntime({
  supergraph: readFileSync(supergraphPath, 'utf8'),
  inboundInflightRequestDeduplication: false,
  graphqlEndpoint: '/graphql',
  logging: 'error',
  landingPage: false,
  graphiql: false,
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
