import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { print, type GraphQLSchema } from 'graphql';
import { refuseFields, restoreRefused, type RefusalNode } from '../auth/refuse-fields';
import type { AuthDirectives } from '../auth/supergraph-directives';
import type { GatewayContext } from '../context';

/**
 * Enforces the supergraph's `@authenticated` and `@requiresScopes` at the gateway, for subgraphs
 * that enforce nothing themselves (a partner's): the refused fields are taken out of the
 * operation before it is planned, so no subgraph is asked for them, and come back null with an
 * error each, the rest of the answer intact. The kit still enforces in every hub subgraph.
 */
export function enforceAuthDirectives(
  directives: (schema: GraphQLSchema) => AuthDirectives,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      let refusals: RefusalNode | undefined;
      return {
        async didResolveOperation(requestContext) {
          const refused = refuseFields(
            requestContext.schema,
            requestContext.document,
            requestContext.request.operationName,
            directives(requestContext.schema),
            requestContext.contextValue.identity,
            requestContext.request.variables ?? {},
          );
          if (!refused) return;
          refusals = refused.refusals;
          // The executor plans `document` and caches the plan under `queryHash`: both must be the
          // rewritten operation's, or one caller's plan would serve a caller with other scopes.
          const writable = requestContext as { document: unknown; operation: unknown; queryHash: string };
          writable.document = refused.document;
          writable.operation = refused.operation;
          writable.queryHash = createHash('sha256').update(print(refused.document)).digest('hex');
        },
        async willSendResponse({ response }) {
          if (!refusals || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const restored = restoreRefused(result.data, refusals);
          if (restored.errors.length === 0) return;
          result.data = restored.data;
          result.errors = [...(result.errors ?? []), ...restored.errors];
        },
      };
    },
  };
}
