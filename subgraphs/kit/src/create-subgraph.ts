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
import { Kind, type DocumentNode, type GraphQLSchema } from 'graphql';
import { AUDIT_TYPE_DEFS_FILE, auditLog, type AuditEntry, type AuditLogArgs } from './audit';
import { enforceAuthorization, type Policies } from './auth/authorization';
import {
  forwardedIdentityVerifier,
  IDENTITY_HEADER,
  type IdentityKeySource,
} from './auth/forwarded-identity';
import { isOwnRecord } from './auth/ownership';
import { DEFAULT_REQUEST_TIMEOUT_MS, parseSubgraphConfig } from './config';
import { createContext, type LoadersFactory, type SubgraphContext } from './context';
import { openDatabase, pingDatabase } from './database';
import { formatError } from './errors';
import { healthRoutes, serveApollo } from './http';
import { stopResolversWhenAborted } from './stop-resolvers';
import { stoppedAnswerPlugin } from './stopped-answer';
import { loadTypeDefs } from './type-defs';

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
  /**
   * The rules the SDL names in `@policy`, each given the caller and the record. The kit adds
   * `own-organisation`: organisation-bound roles pass only for records their organisation owns.
   */
  policies?: Policies;
}

export interface StartOptions {
  port: number;
  host?: string;
  mongoUri: string;
  databaseName: string;
  /** The gateway's public keys, which every request's `x-hub-identity` must verify against. */
  identityKeys: IdentityKeySource;
  /** The longest one request may run (`SUBGRAPH_REQUEST_TIMEOUT_MS`); default 11000. */
  requestTimeoutMs?: number;
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

const KIT_POLICIES: Policies = {
  'own-organisation': (identity, record) =>
    typeof record === 'object' && record !== null && isOwnRecord(identity, record),
};

export function createSubgraph<TLoaders>(definition: SubgraphDefinition<TLoaders>): Subgraph<TLoaders> {
  const typeDefs = withKitTypeDefs(definition.typeDefs);
  const schema = buildSubgraphSchema({
    typeDefs,
    resolvers: withKitResolvers(
      definition.name,
      typeDefs,
      definition.resolvers,
    ) as GraphQLResolverMap<unknown>,
  });
  enforceAuthorization(schema, { ...KIT_POLICIES, ...definition.policies });
  stopResolversWhenAborted(schema);

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
        stoppedAnswerPlugin(),
      ],
    });
    await apollo.start();
    const verifyIdentity = forwardedIdentityVerifier(options.identityKeys, definition.name);
    const http = await serveApollo(apollo, {
      port: options.port,
      host: options.host,
      context: async (req: IncomingMessage, signal: AbortSignal) =>
        createContext(
          orm.em,
          definition.loaders,
          definition.name,
          await verifyIdentity(req.headers[IDENTITY_HEADER]),
          req,
          signal,
        ),
      requestBudget: {
        ms: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        setting: 'SUBGRAPH_REQUEST_TIMEOUT_MS',
      },
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

  return { ...definition, typeDefs, schema, start, run };
}

/** The kit's shared SDL (the audit trail's types) served with every subgraph. */
function withKitTypeDefs(typeDefs: DocumentNode): DocumentNode {
  return {
    ...typeDefs,
    definitions: [...typeDefs.definitions, ...loadTypeDefs(AUDIT_TYPE_DEFS_FILE).definitions],
  };
}

/** The audit trail's resolvers: `<name>AuditLog` when the subgraph's SDL declares it, and the entry's fields. */
function withKitResolvers(name: string, typeDefs: DocumentNode, resolvers: object): object {
  const field = `${name}AuditLog`;
  const declared = typeDefs.definitions.some(
    (definition) =>
      (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      definition.name.value === 'Query' &&
      definition.fields?.some((candidate) => candidate.name.value === field),
  );
  const kit = {
    AuditEntry: { at: (entry: AuditEntry) => entry.at.toISOString() },
    ...(declared && {
      Query: {
        ...(resolvers as { Query?: object }).Query,
        [field]: (_root: unknown, args: AuditLogArgs, { em }: SubgraphContext<unknown>) => auditLog(em, args),
      },
    }),
  };
  return { ...resolvers, ...kit };
}
