import type { ApolloServerPlugin } from '@apollo/server';
import { CLIENT_REQUEST_ID_HEADER, REQUEST_ID_HEADER, type GatewayContext } from '../context';

/**
 * Answers with the gateway's id of the request in `x-request-id`, the one to quote when reporting
 * a problem (it is in the subgraphs' logs and the audit trail). A caller that sent an id of its own
 * gets it back in `x-client-request-id`, so that it can pair the two.
 */
export function requestIdPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set(REQUEST_ID_HEADER, contextValue.requestId);
          if (contextValue.clientRequestId) {
            response.http.headers.set(CLIENT_REQUEST_ID_HEADER, contextValue.clientRequestId);
          }
        },
      };
    },
  };
}
