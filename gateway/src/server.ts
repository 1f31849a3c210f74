// Assembles the gateway: ApolloGateway (query planning over the supergraph) inside Apollo Server,
// served on node:http by the kit, with health routes and the analysts' IDE for browsers.
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { healthRoutes, serveApollo, type RunningHttpService } from '@clusterpolisee/kit/http';
import { gatewayConfig, subgraphEnvKey, subgraphUrlFor, type GatewayConfig } from './config';
import { forwardHeaders, gatewayContext, type GatewayContext } from './context';
import { createSubgraphAgent, createSubgraphFetcher } from './fetcher';
import { createIdeHandler } from './ide';
import { gatewayPlugins } from './plugins';
import { supergraphFromFile } from './supergraph';

export interface RunningGateway {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  port: number;
  /** Stops taking requests, lets running ones finish, then stops the gateway, its file watcher and its connections. */
  close(): Promise<void>;
}

/**
 * Starts the gateway. `options` replace single settings of the environment's configuration
 * (`gatewayConfig()`, see config.ts for every setting and its default); tests pass `port: 0`.
 * Rejects, having released what it opened, when the supergraph cannot be loaded or the port is taken.
 */
export async function startGateway(options: Partial<GatewayConfig> = {}): Promise<RunningGateway> {
  const config: GatewayConfig = { ...gatewayConfig(), ...options };
  const agent = createSubgraphAgent({ maxConnections: config.subgraphMaxConnections });
  const subgraphsSeen = new Set<string>();

  const gateway = new ApolloGateway({
    supergraphSdl: supergraphFromFile({ path: config.supergraphPath }),
    // Check a supergraph completely before switching to it, in production too.
    validateSupergraph: true,
    buildService: ({ name, url }) => {
      subgraphsSeen.add(subgraphEnvKey(name));
      const routingUrl = subgraphUrlFor(config, name, url);
      if (!routingUrl) {
        throw new Error(`Subgraph "${name}" has no routing URL: set SUBGRAPH_URL_${subgraphEnvKey(name)}.`);
      }
      return new RemoteGraphQLDataSource<GatewayContext>({
        url: routingUrl,
        fetcher: createSubgraphFetcher({ subgraph: name, agent, timeoutMs: config.subgraphTimeoutMs }),
        honorSubgraphCacheControlHeader: false,
        willSendRequest: forwardHeaders,
      });
    },
  });
  let schemaLoaded = false;
  gateway.onSchemaLoadOrUpdate(() => {
    schemaLoaded = true;
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins: gatewayPlugins({ ide: config.ide }),
    // Explicit, so that NODE_ENV does not decide it (Apollo's default is off in production).
    introspection: config.introspection,
    // main.ts owns the signals and closes the HTTP server first.
    stopOnTerminationSignals: false,
  });

  let http: RunningHttpService;
  try {
    await apollo.start();
    http = await serveApollo(apollo, {
      port: config.port,
      context: async (req) => gatewayContext(req),
      before: config.ide ? createIdeHandler({ introspection: config.introspection }) : undefined,
      routes: healthRoutes('gateway', {
        supergraph: async () => {
          if (!schemaLoaded) throw new Error('no supergraph loaded');
        },
      }),
    });
  } catch (error) {
    await apollo.stop().catch(() => undefined);
    await agent.close();
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new Error(`Port ${config.port} is already in use: stop what runs there or set GATEWAY_PORT.`, {
        cause: error,
      });
    }
    throw error;
  }

  for (const name of Object.keys(config.subgraphUrls)) {
    if (!subgraphsSeen.has(subgraphEnvKey(name))) {
      console.warn(
        `[gateway] SUBGRAPH_URL_${subgraphEnvKey(name)} is set but the supergraph has no such subgraph.`,
      );
    }
  }

  let closing: Promise<void> | undefined;
  return {
    url: http.url,
    port: http.port,
    close: () =>
      (closing ??= (async () => {
        schemaLoaded = false; // /ready fails while draining
        await http.close();
        await apollo.stop();
        await agent.close();
      })()),
  };
}
