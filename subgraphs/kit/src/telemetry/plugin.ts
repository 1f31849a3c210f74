// The Apollo Server plugin that tells a request's telemetry (request.ts) what only Apollo knows:
// the operation's name and the errors of the answer.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { Logger } from './logger';
import { requestTelemetryOf } from './request';

export interface TelemetryPluginOptions {
  /**
   * Errors whose code is not one a client can act on are logged, with their stack, on the
   * request's logger. Default: none is logged (the gateway logs what it masks itself).
   */
  isInternal?: (code: string | undefined) => boolean;
}

export function telemetryPlugin(options: TelemetryPluginOptions = {}): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart({ contextValue, request: graphqlRequest }) {
      const request = requestTelemetryOf(contextValue);
      if (!request) return;
      request.operation = graphqlRequest.operationName ?? undefined;
      return {
        async didResolveOperation({ operationName }) {
          request.operation = operationName ?? '(anonymous)';
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            request.errorCodes.push(typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR');
            if (options.isInternal?.(typeof code === 'string' ? code : undefined))
              logInternal(request.log, error);
          }
        },
      };
    },
  };
}

function logInternal(log: Logger, error: GraphQLError): void {
  log.error({ err: error.originalError ?? error, path: error.path }, 'internal error');
}
