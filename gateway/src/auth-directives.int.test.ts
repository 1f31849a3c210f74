// The leak of issue 12, reproduced: a partner's subgraph declares `@requiresScopes` and enforces
// nothing itself; the gateway must refuse the field to callers without the scope.
import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { forwardedIdentityVerifier, IDENTITY_HEADER } from '@clusterpolisee/kit/auth';
import { serveApollo, type RunningHttpService } from '@clusterpolisee/kit/http';
import { parse } from 'graphql';
import { MongoClient } from 'mongodb';
import { publishSubgraph } from '../../schema/registry/operations';
import { RegistryStore } from '../../schema/registry/store';
import { startTestHub, type TestHub } from '../../test/support/hub';

jest.setTimeout(120_000);

const SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@requiresScopes"])

type Organisation @key(fields: "id") {
  id: ID!
  contactEmail: String @requiresScopes(scopes: [["read:personal"]])
  motto: String
}
`;

interface Organisation {
  id: string;
  name: string;
  motto?: string | null;
  contactEmail?: string | null;
  mail?: string | null;
}

let hub: TestHub;
let partner: RunningHttpService & { stop(): Promise<void> };
let client: MongoClient;
let database: string;

/** Plain @apollo/subgraph: no kit, so no enforcement of its own. */
async function startLeakyPartner(hubKeys: TestHub['gateway']['identityJwks']) {
  const verify = forwardedIdentityVerifier(hubKeys, 'leaky');
  const apollo = new ApolloServer<Record<string, never>>({
    schema: buildSubgraphSchema({
      typeDefs: parse(SDL),
      resolvers: {
        Organisation: {
          __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
          contactEmail: ({ id }: { id: string }) => `contact@${id}.example.org`,
          motto: ({ id }: { id: string }) => `motto:${id}`,
        },
      } as never,
    }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  const http = await serveApollo(apollo, {
    port: 0,
    host: '127.0.0.1',
    context: async (req) => {
      await verify(req.headers[IDENTITY_HEADER]);
      return {};
    },
  });
  return { ...http, stop: async () => (await http.close(), await apollo.stop()) };
}

beforeAll(async () => {
  database = `auth_directives_${randomUUID().slice(0, 8)}`;
  hub = await startTestHub({
    gateway: { registry: { enabled: true, mongoUri: process.env.MONGODB_URI!, database, pollMs: 100 } },
  });
  partner = await startLeakyPartner(hub.gateway.identityJwks);
  client = new MongoClient(process.env.MONGODB_URI!);
  const store = RegistryStore.open({ client, database });
  const published = await publishSubgraph(
    store,
    { name: 'leaky', url: partner.url, sdl: SDL },
    { subject: 'leaky-ci', role: 'admin' },
  );
  expect(published).toMatchObject({ ok: true });
  const deadline = Date.now() + 15_000;
  while (!(await hub.query('{ organisations(first: 1) { nodes { motto } } }')).data) {
    if (Date.now() > deadline) throw new Error('the partner subgraph was never served');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

afterAll(async () => {
  await hub?.close();
  await partner?.stop();
  await client
    ?.db(database)
    .dropDatabase()
    .catch(() => undefined);
  await client?.close();
});

const QUERY = '{ organisations(first: 2) { nodes { id name motto contactEmail } } }';
const nodesOf = (data: unknown) => (data as { organisations: { nodes: Organisation[] } }).organisations.nodes;

it('refuses the field to an anonymous caller: null plus UNAUTHENTICATED, the rest intact', async () => {
  const answer = await hub.query<unknown>(QUERY);
  const nodes = nodesOf(answer.data);
  expect(nodes).toHaveLength(2);
  for (const node of nodes) {
    expect(node.contactEmail).toBeNull();
    expect(node.name).toEqual(expect.any(String));
    expect(node.motto).toBe(`motto:${node.id}`);
  }
  expect(JSON.stringify(answer)).not.toContain('@');
  expect(answer.errors).toEqual(
    [0, 1].map((index) => ({
      message: expect.stringContaining('Organisation.contactEmail is for signed-in partners only'),
      path: ['organisations', 'nodes', index, 'contactEmail'],
      extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }),
    })),
  );
});

it('refuses it to a signed-in caller without the scope with FORBIDDEN naming the scope', async () => {
  const answer = await hub.query<unknown>(QUERY, undefined, { role: 'analyst' });
  for (const node of nodesOf(answer.data)) {
    expect(node.contactEmail).toBeNull();
    expect(node.motto).toBe(`motto:${node.id}`);
  }
  expect(answer.errors?.[0]).toMatchObject({
    message:
      'Organisation.contactEmail requires the scope read:personal, which the role analyst does not have',
    extensions: { code: 'FORBIDDEN', requiredScopes: [['read:personal']] },
  });
});

it('serves the value to a caller with the scope', async () => {
  const answer = await hub.query<unknown>(QUERY, undefined, { role: 'coordinator' });
  expect(answer.errors).toBeUndefined();
  for (const node of nodesOf(answer.data)) expect(node.contactEmail).toBe(`contact@${node.id}.example.org`);
});

it('finds the field behind fragments and aliases, and plans per caller', async () => {
  const query = `query Contacts { organisations(first: 1) { nodes { ...Contact } } }
    fragment Contact on Organisation { id name ... on Organisation { mail: contactEmail } }`;
  const anonymous = await hub.query<unknown>(query);
  expect(nodesOf(anonymous.data)[0]).toEqual({
    id: expect.any(String),
    name: expect.any(String),
    mail: null,
  });
  expect(anonymous.errors).toMatchObject([{ path: ['organisations', 'nodes', 0, 'mail'] }]);
  // The same text again, now by a caller with the scope: a plan cached for the anonymous one
  // would leave the field out.
  const coordinator = await hub.query<unknown>(query, undefined, { role: 'coordinator' });
  expect(coordinator.errors).toBeUndefined();
  expect(nodesOf(coordinator.data)[0]!.mail).toMatch(/^contact@/);
});

it('answers an operation made only of refused fields', async () => {
  const answer = await hub.query<unknown>('{ organisations(first: 1) { nodes { contactEmail } } }');
  expect(nodesOf(answer.data)).toEqual([{ contactEmail: null }]);
  expect(answer.errors).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);
});
