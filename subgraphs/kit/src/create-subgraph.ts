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
import { auditLog, type AuditEntry, type AuditLogArgs } from './audit';
import { armAuditPause, auditPauseFromEnv } from './audit/fault-hook';
import { startAuditReconciler } from './audit/reconciler';
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
import type { Env } from './env';
import { formatError, isPublicErrorCode } from './errors';
import { healthRoutes, serveApollo } from './http';
import { runService } from './service-runner';
import { stopResolversWhenAborted } from './stop-resolvers';
import { stoppedAnswerPlugin } from './stopped-answer';
import {
  measureLoaderBatches,
  startTelemetry,
  telemetryPlugin,
  watchDatabaseCommands,
  type TelemetryOptions,
} from './telemetry';
import { withKitTypeDefs } from './type-defs';

export interface SubgraphDefinition<TLoaders> {
  /** Name in the supergraph; also names the database (`clusterpolisee_<name>`). */
  name: string;
  /**
   * Port used when `PORT` is unset; default 4001. The hub's own subgraphs leave it out: `npm start`
   * gives each the port of its routing URL in schema/supergraph.yaml (or of HUB_BASE_PORT / PORT_<NAME>).
   */
  defaultPort?: number;
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
  /** Lets tests count the database commands requests cause (see `openDatabase`); default off. */
  monitorCommands?: boolean;
  /** Logs, metrics and traces (LOG_LEVEL, METRICS_PORT, OTEL_EXPORTER_OTLP_ENDPOINT...); default: info logs, `/metrics` on the port, no traces sent. */
  telemetry?: TelemetryOptions;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  orm: MikroORM;
  /** `/ready` answers 503 from now on while requests are still served (see service-runner.ts). */
  drain(): void;
  close(): Promise<void>;
}

export interface Subgraph<TLoaders> extends SubgraphDefinition<TLoaders> {
  schema: GraphQLSchema;
  /** Starts on the given port and database; tests pass port 0 and a fresh database. */
  start(options: StartOptions): Promise<RunningSubgraph>;
  /** Starts with the settings of `env` (PORT, MONGODB_URI...; see config.ts), default `process.env`. */
  startFromEnv(env?: Env): Promise<RunningSubgraph>;
  /**
   * `startFromEnv` as a process (see service-runner.ts): stops on SIGINT/SIGTERM, and when it
   * cannot start says why in one line and leaves exit code 1. Never rejects.
   */
  run(): Promise<RunningSubgraph | undefined>;
}

export type ContextOf<TLoaders> = SubgraphContext<TLoaders>;

/** Apollo's customary first subgraph port, for a subgraph run alone without `PORT`. */
const DEFAULT_SUBGRAPH_PORT = 4001;

const KIT_POLICIES: Policies = {
  'own-organisation': (identity, record) =>
    typeof record === 'object' && record !== null && isOwnRecord(identity, record),
};

export function createSubgraph<TLoaders>(definition: SubgraphDefinition<TLoaders>): Subgraph<TLoaders> {
  const typeDefs = withKitTypeDefs(definition.typeDefs);
  // The list of modules, the one form every @apollo/subgraph release in the kit's range takes: 2.15
  // (which npm picks on Node 22 and later) no longer reads a lone `{ typeDefs, resolvers }`.
  const schema = buildSubgraphSchema([
    {
      typeDefs,
      resolvers: withKitResolvers(
        definition.name,
        typeDefs,
        definition.resolvers,
      ) as GraphQLResolverMap<unknown>,
    },
  ]);
  enforceAuthorization(schema, { ...KIT_POLICIES, ...definition.policies });
  stopResolversWhenAborted(schema);

  async function start(options: StartOptions): Promise<RunningSubgraph> {
    const telemetry = await startTelemetry(definition.name, options.telemetry);
    const orm = await openDatabase({
      mongoUri: options.mongoUri,
      databaseName: options.databaseName,
      entities: definition.entities,
      monitorCommands: options.monitorCommands || telemetry.config.dbCommands,
    }).catch(async (error: unknown) => {
      await telemetry.close();
      throw error;
    });
    const stopWatching = telemetry.config.dbCommands
      ? watchDatabaseCommands(orm.em.getConnection().getClient(), telemetry)
      : undefined;
    measureLoaderBatches(orm.em, telemetry);
    // Settles or drops what writers that stopped midway left pending, before serving (audit/pending.ts).
    const auditReconciler = await startAuditReconciler(orm, { log: telemetry.log });
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
        // Errors masked for the client (formatError) are logged with the request's id and trace.
        telemetryPlugin({ isInternal: (code) => !isPublicErrorCode(code) }),
      ],
    });
    await apollo.start();
    const verifyIdentity = forwardedIdentityVerifier(options.identityKeys, definition.name);
    let draining = false;
    const http = await serveApollo(apollo, {
      port: options.port,
      host: options.host,
      telemetry,
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
      routes: healthRoutes(definition.name, { database: () => pingDatabase(orm) }, undefined, {
        draining: () => draining,
      }),
    });
    return {
      name: definition.name,
      url: http.url,
      port: http.port,
      orm,
      drain() {
        draining = true;
        http.drain();
      },
      async close() {
        draining = true;
        await http.close();
        await apollo.stop();
        auditReconciler.stop();
        stopWatching?.();
        await orm.close(true);
        await telemetry.close();
      },
    };
  }

  async function startFromEnv(env: Env = process.env): Promise<RunningSubgraph> {
    const config = parseSubgraphConfig(definition.name, definition.defaultPort ?? DEFAULT_SUBGRAPH_PORT, env);
    // Test only: refused unless NODE_ENV=test (audit/fault-hook.ts).
    armAuditPause(auditPauseFromEnv(env));
    return start(config);
  }

  function run(): Promise<RunningSubgraph | undefined> {
    return runService(definition.name, () => startFromEnv());
  }

  return { ...definition, typeDefs, schema, start, startFromEnv, run };
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
