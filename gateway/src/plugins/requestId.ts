import type { ApolloServerPlugin } from '@apollo/server';
import { REQUEST_ID_HEADER, type GatewayContext } from '../context';

/** Echoes the request id (the caller's or the generated one) in the `x-request-id` response header. */
export function requestIdPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set(REQUEST_ID_HEADER, contextValue.requestId);
        },
      };
    },
  };
}
