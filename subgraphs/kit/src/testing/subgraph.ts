import { randomBytes, randomUUID } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import {
  generateIdentityKeyPem,
  IDENTITY_HEADER,
  identitySigningKey,
  signForwardedIdentity,
  type IdentitySigningKey,
} from '../auth/forwarded-identity';
import { REQUEST_ID_HEADER } from '../auth/request-ids';
import { identityFor, type Identity, type Role } from '../auth/roles';
import type { Subgraph, RunningSubgraph } from '../create-subgraph';
import type { TelemetryOptions } from '../telemetry';
import { countCommands, type CommandCounter } from './commands';
import { postGraphQL, type GraphQLResponse } from './graphql-client';

/** Who a test request acts as: an identity, or a role (and organisation) to make one from. */
export type TestCaller = Identity | { role: Role; org?: string; sub?: string };

export interface TestQueryOptions {
  /** Default: an admin, so that tests about data need not care about authorization. */
  as?: TestCaller;
  /** Send no `x-hub-identity`, as a caller bypassing the gateway would. */
  unsigned?: boolean;
  /** Extra headers, e.g. a forged `x-hub-identity`. */
  headers?: Record<string, string>;
}

export interface TestSubgraph extends RunningSubgraph {
  databaseName: string;
  commands: CommandCounter;
  /** The key this subgraph trusts as the gateway's; sign with it to act as the gateway. */
  identityKey: IdentitySigningKey;
  query<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: TestQueryOptions,
  ): Promise<GraphQLResponse<TData>>;
  /**
   * Every document of every collection (the audit trail included) as one text, so that a test can
   * show that a refused request wrote nothing at all: compare the text before and after.
   */
  storedDocuments(): Promise<string>;
}

export interface TestSubgraphOptions {
  databaseName?: string;
  /** The gateway key to trust; default a fresh one. A test hub passes one key to all its subgraphs. */
  identityKey?: IdentitySigningKey;
  /**
   * Logs, metrics and traces; default as a service's, but `logLevel: 'warn'`: a test's output shows
   * what went wrong, not an access line per request. A test that reads the log sets its own level
   * and `logDestination`.
   */
  telemetry?: TelemetryOptions;
}

export const TEST_ADMIN = identityFor('test-admin', 'admin');

export function asIdentity(caller: TestCaller): Identity {
  if ('scopes' in caller) return caller;
  return identityFor(caller.sub ?? `test-${caller.role}`, caller.role, caller.org ?? null);
}

/** A fresh gateway key, as the gateway would load from GATEWAY_IDENTITY_KEY_FILE. */
export function testIdentityKey(): Promise<IdentitySigningKey> {
  return identitySigningKey(generateIdentityKeyPem());
}

/**
 * Starts a subgraph on a free port against a database of its own on the test run's server
 * (the embedded one the global setup started, or MONGODB_URI), and drops that database on close.
 * Its `query` signs each request as the gateway would, as an admin unless told otherwise.
 */
export async function startTestSubgraph<T>(
  subgraph: Subgraph<T>,
  options: TestSubgraphOptions = {},
): Promise<TestSubgraph> {
  const mongoUri = process.env.MONGODB_URI;
  if (!mongoUri)
    throw new Error('MONGODB_URI is unset: run tests through jest, whose global setup starts the database');
  const databaseName = options.databaseName ?? uniqueDatabaseName(subgraph.name);
  const identityKey = options.identityKey ?? (await testIdentityKey());
  const running = await subgraph.start({
    port: 0,
    host: '127.0.0.1',
    mongoUri,
    databaseName,
    identityKeys: identityKey.jwks as JSONWebKeySet,
    monitorCommands: true,
    telemetry: { logLevel: 'warn', ...options.telemetry },
  });
  const commands = countCommands(running.orm);
  return {
    ...running,
    databaseName,
    commands,
    identityKey,
    query: async (query, variables, queryOptions = {}) => {
      const headers: Record<string, string> = {};
      if (!queryOptions.unsigned) {
        const identity = asIdentity(queryOptions.as ?? TEST_ADMIN);
        // As the gateway does: its request id is both the signature's jti and x-request-id.
        headers[IDENTITY_HEADER] = await signForwardedIdentity(
          identity,
          identityKey,
          subgraph.name,
          queryOptions.headers?.[REQUEST_ID_HEADER] ?? randomUUID(),
        );
      }
      return postGraphQL(running.url, query, variables, { ...headers, ...queryOptions.headers });
    },
    storedDocuments: async () => {
      const db = running.orm.em.getConnection().getDb();
      const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
      const all: Record<string, unknown[]> = {};
      for (const name of names) all[name] = await db.collection(name).find().sort({ _id: 1 }).toArray();
      return JSON.stringify(all);
    },
    close: once(async () => {
      commands.stop();
      await running.orm.em.getConnection().getDb().dropDatabase();
      await running.close();
    }),
  };
}

export function uniqueDatabaseName(prefix: string): string {
  return `test_${prefix}_${randomBytes(4).toString('hex')}`;
}

/** Tests stop a subgraph on purpose and the suite closes everything again afterwards. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
