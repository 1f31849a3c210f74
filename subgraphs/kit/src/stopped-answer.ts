import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { REQUEST_ABANDONED, REQUEST_TIMEOUT } from './deadline';

interface ContextWithSignal {
  signal?: AbortSignal;
}

const STOP_CODES: unknown[] = [REQUEST_TIMEOUT, REQUEST_ABANDONED];

/**
 * The answer of a request that was stopped part-way: one error saying why, and no data. Every
 * field cut short raises its own error (one per list item under a nullable field), and the
 * partial data is whatever happened to be finished: thousands of identical errors beside an
 * arbitrary fragment help nobody, and building them is work for a request already given up on.
 * A request that finished before its signal aborted keeps its answer.
 */
export function stoppedAnswerPlugin(): ApolloServerPlugin<ContextWithSignal> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const signal = contextValue.signal;
          if (!signal?.aborted || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (!result.errors?.some((error) => STOP_CODES.includes(error.extensions?.code))) return;
          result.data = null;
          result.errors = [formatted(signal.reason)];
        },
      };
    },
  };
}

/** The message and code only: the error's path is a placeholder (see deadline.ts). */
function formatted(reason: unknown): GraphQLFormattedError {
  if (!(reason instanceof GraphQLError)) return { message: String(reason) };
  return { message: reason.message, extensions: reason.extensions };
}
