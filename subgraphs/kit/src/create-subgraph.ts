import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { MikroORM, EntitySchema } from '@mikro-orm/mongodb';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { parseSubgraphConfig } from './config';
import { createContext, type LoadersFactory, type SubgraphContext } from './context';
import { openDatabase, pingDatabase } from './database';
import { formatError } from './errors';
import { healthRoutes, serveApollo } from './http';

export interface SubgraphDefinition<TLoaders> {
  /** Name in the supergraph; also names the database (`clusterpolisee_<name>`). */
  name: string;
  /** Port used when `PORT` is unset (the one in schema/supergraph.yaml). */
  defaultPort: number;
  typeDefs: DocumentNode;
  /** Generated resolver types are stricter than Apollo's map; the kit accepts both. */
  resolvers: object;
  entities: EntitySchema<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  loaders: LoadersFactory<TLoaders>;
}

export interface StartOptions {
  port: number;
  host?: string;
  mongoUri: string;
  databaseName: string;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  orm: MikroORM;
  close(): Promise<void>;
}

export interface Subgraph<TLoaders> extends SubgraphDefinition<TLoaders> {
  schema: GraphQLSchema;
  /** Starts on the given port and database; tests pass port 0 and a fresh database. */
  start(options: StartOptions): Promise<RunningSubgraph>;
  /** Starts from the environment (PORT, MONGODB_URI...) and stops on SIGINT/SIGTERM. */
  run(): Promise<RunningSubgraph>;
}

export type ContextOf<TLoaders> = SubgraphContext<TLoaders>;

export function createSubgraph<TLoaders>(definition: SubgraphDefinition<TLoaders>): Subgraph<TLoaders> {
  const schema = buildSubgraphSchema({
    typeDefs: definition.typeDefs,
    resolvers: definition.resolvers as GraphQLResolverMap<unknown>,
  });

  async function start(options: StartOptions): Promise<RunningSubgraph> {
    const orm = await openDatabase({
      mongoUri: options.mongoUri,
      databaseName: options.databaseName,
      entities: definition.entities,
    });
    const apollo = new ApolloServer<SubgraphContext<TLoaders>>({
      schema,
      formatError,
      // Nothing reads cache hints or traces from this hub's subgraphs; computing them costs every request.
      plugins: [
        ApolloServerPluginCacheControlDisabled(),
        ApolloServerPluginInlineTraceDisabled(),
        ApolloServerPluginLandingPageDisabled(),
        ApolloServerPluginUsageReportingDisabled(),
      ],
    });
    await apollo.start();
    const http = await serveApollo(apollo, {
      port: options.port,
      host: options.host,
      context: async (req: IncomingMessage) => createContext(orm.em, definition.loaders, req),
      routes: healthRoutes(definition.name, { database: () => pingDatabase(orm) }),
    });
    return {
      name: definition.name,
      url: http.url,
      port: http.port,
      orm,
      async close() {
        await http.close();
        await apollo.stop();
        await orm.close(true);
      },
    };
  }

  async function run(): Promise<RunningSubgraph> {
    const config = parseSubgraphConfig(definition.name, definition.defaultPort);
    const running = await start(config);
    console.log(`[${definition.name}] ready at ${running.url} (database ${config.databaseName})`);
    const stop = () => {
      running.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`[${definition.name}] failed to stop cleanly`, error);
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return running;
  }

  return { ...definition, schema, start, run };
}
