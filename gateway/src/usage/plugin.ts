import type { ApolloServerPlugin } from '@apollo/server';
import { operationCoordinates } from '../../../schema/registry/usage';
import type { GatewayContext } from '../context';
import type { UsageRecorder } from './recorder';

export const CLIENT_NAME_HEADER = 'apollographql-client-name';
export const CLIENT_VERSION_HEADER = 'apollographql-client-version';
/** The client of requests that do not name theirs. */
export const UNKNOWN_CLIENT = '(unknown)';

/**
 * Counts every operation that validated, with the schema coordinates it touches against the API
 * schema it was validated on, for the usage-aware registry checks (schema/registry/usage-check.ts).
 */
export function usagePlugin(recorder: UsageRecorder): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operationName, queryHash }) {
          const headers = request.http?.headers;
          recorder.record({
            // The hash of the text alone would merge two operations of one document.
            operation: `${queryHash}:${operationName ?? ''}`,
            operationName: operationName ?? null,
            client: headers?.get(CLIENT_NAME_HEADER)?.trim() || UNKNOWN_CLIENT,
            clientVersion: headers?.get(CLIENT_VERSION_HEADER)?.trim() || null,
            coordinates: () => operationCoordinates(schema, document, operationName),
          });
        },
      };
    },
  };
}
