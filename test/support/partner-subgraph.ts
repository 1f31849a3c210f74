// A partner's subgraph as small as one can be, running outside the hub's code: it extends
// `Organisation` by its key with one field, and refuses requests without the gateway's signed
// identity as every hub subgraph does.
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { forwardedIdentityVerifier, IDENTITY_HEADER, type IdentityKeySource } from '@clusterpolisee/kit/auth';
import { serveApollo, type RunningHttpService } from '@clusterpolisee/kit/http';
import { parse } from 'graphql';

export const PARTNER_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';

/** The SDL of a partner subgraph adding `<field>: String` to Organisation. */
export function partnerSdl(field: string): string {
  return `${PARTNER_LINK}

type Organisation @key(fields: "id") {
  id: ID!
  ${field}: String
}
`;
}

export interface PartnerSubgraph extends RunningHttpService {
  name: string;
  sdl: string;
}

/**
 * Serves `partnerSdl(field)` on a free port (or `options.port`); every organisation's `field` is
 * `<field>:<id>`. `withoutField` serves the SDL with `field` removed: a partner drifted from what
 * it published.
 */
export async function startPartnerSubgraph(
  name: string,
  field: string,
  gatewayKeys: IdentityKeySource,
  options: { port?: number; withoutField?: boolean } = {},
): Promise<PartnerSubgraph> {
  const sdl = options.withoutField
    ? `${PARTNER_LINK}\n\ntype Organisation @key(fields: "id") {\n  id: ID!\n}\n`
    : partnerSdl(field);
  const verify = forwardedIdentityVerifier(gatewayKeys, name);
  const apollo = new ApolloServer<Record<string, never>>({
    schema: buildSubgraphSchema({
      typeDefs: parse(sdl),
      resolvers: {
        Organisation: {
          __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
          ...(!options.withoutField && {
            [field]: (organisation: { id: string }) => `${field}:${organisation.id}`,
          }),
        },
      } as never,
    }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  const http = await serveApollo(apollo, {
    port: options.port ?? 0,
    host: '127.0.0.1',
    context: async (req) => {
      await verify(req.headers[IDENTITY_HEADER]);
      return {};
    },
  });
  return {
    ...http,
    name,
    sdl,
    close: async () => {
      await http.close();
      await apollo.stop();
    },
  };
}
