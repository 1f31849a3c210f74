// Subgraphs are partners' code: whatever they throw, answer or leak (stack traces, internal URLs,
// HTML error pages) must not reach the hub's clients. Two halves: hooks on each subgraph's data
// source that turn a failed call or a malformed answer into one error naming the subgraph, and a
// plugin that, with the request id at hand, decides per error what the client sees and writes the
// whole original to the log once, so that an operator finds the cause from the id a client quotes.
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../context';

/**
 * Codes a subgraph raises on purpose for the caller to act on: they pass with their message. A
 * subset of the kit's PUBLIC_ERROR_CODES: its request-level codes (GRAPHQL_VALIDATION_FAILED,
 * BAD_REQUEST, PERSISTED_QUERY_*, ...) judge the request the gateway built, not the caller's, so
 * from a subgraph they mean drift or a gateway fault and are masked.
 */
export const SUBGRAPH_PUBLIC_CODES: ReadonlySet<string> = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'REQUEST_TIMEOUT',
  'REQUEST_ABANDONED',
]);

/** The stable codes of a subgraph call that failed; the fetcher raises all but SUBGRAPH_ERROR. */
export const SUBGRAPH_FAILURE_CODES: ReadonlySet<string> = new Set([
  'SUBGRAPH_ERROR',
  'SUBGRAPH_UNAVAILABLE',
  'SUBGRAPH_TIMEOUT',
  'SUBGRAPH_RESPONSE_TOO_LARGE',
]);

/** Extensions that carry a subgraph's or the gateway's internals, never forwarded. */
const INTERNAL_EXTENSIONS = ['stacktrace', 'exception', 'response', 'serviceName', 'http'];

/** A logged body is cut here: enough to see the cause, not 16 MiB of a runaway answer per line. */
const MAX_LOGGED_BODY = 4_096;

/** What went wrong in a subgraph call, for the log only. */
export interface FailureDetails {
  message: string;
  code?: unknown;
  url?: string;
  status?: number;
  body?: string;
  stack?: string;
}

/**
 * A failed subgraph call as the data source throws it: the client-safe code and subgraph in
 * `extensions`, the raw details beside them (GraphQLError.toJSON never serialises them).
 */
export class SubgraphFailure extends GraphQLError {
  constructor(
    message: string,
    code: string,
    readonly subgraph: string,
    readonly details: FailureDetails,
  ) {
    super(message, { extensions: { code, subgraph } });
  }
}

type DataSourceHooks = Pick<
  RemoteGraphQLDataSource<GatewayContext>,
  'didEncounterError' | 'didReceiveResponse'
>;
type SubgraphResponse = Parameters<NonNullable<DataSourceHooks['didReceiveResponse']>>[0]['response'];

/**
 * Hooks for the data source of subgraph `name` (spread into RemoteGraphQLDataSource's options).
 * Without them, an HTTP failure surfaces as `400: Bad Request` with the URL and body attached, and
 * an unparsable answer as a plain error that names no subgraph at all.
 */
export function subgraphErrorHooks(name: string): DataSourceHooks {
  return {
    didEncounterError(error, fetchRequest, fetchResponse) {
      if (error instanceof SubgraphFailure) throw error;
      const extensions = (error as Partial<GraphQLError>).extensions ?? {};
      const response = extensions.response as { url?: string; status?: number; body?: unknown } | undefined;
      const details: FailureDetails = {
        message: error.message,
        code: extensions.code,
        url: response?.url ?? fetchResponse?.url ?? fetchRequest.url,
        status: response?.status ?? fetchResponse?.status,
        body: response ? bodyText(response.body) : undefined,
        stack: error.stack,
      };
      // The fetcher's own failures already say what happened in words fit for a client.
      const code = typeof extensions.code === 'string' ? extensions.code : undefined;
      if (code && SUBGRAPH_FAILURE_CODES.has(code))
        throw new SubgraphFailure(error.message, code, name, details);
      throw new SubgraphFailure(`Subgraph "${name}" failed.`, 'SUBGRAPH_ERROR', name, details);
    },
    didReceiveResponse({ response, request }) {
      const problem = malformation(response, request.variables);
      if (!problem) return response;
      const { http, ...body } = response;
      throw new SubgraphFailure(`Subgraph "${name}" failed.`, 'SUBGRAPH_ERROR', name, {
        message: `The answer is not a GraphQL response: ${problem}.`,
        url: (http as { url?: string } | undefined)?.url ?? request.http?.url,
        status: http?.status,
        body: bodyText(body),
      });
    },
  };
}

/**
 * Why `response` is no GraphQL answer, or undefined when it is one. Checked here because the
 * gateway would otherwise fail later on it with a plain error that no longer names the subgraph.
 */
function malformation(
  response: SubgraphResponse,
  variables: Record<string, unknown> | undefined,
): string | undefined {
  const { data, errors } = response as { data?: unknown; errors?: unknown };
  if (errors !== undefined) {
    const valid =
      Array.isArray(errors) &&
      errors.every(
        (e) =>
          typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string',
      );
    if (!valid) return '"errors" is not a list of errors with messages';
  }
  if (data === undefined && (errors === undefined || (errors as unknown[]).length === 0)) {
    return 'it has neither "data" nor "errors"';
  }
  if (data !== undefined && data !== null && (typeof data !== 'object' || Array.isArray(data))) {
    return '"data" is not an object';
  }
  const representations = variables?.representations;
  if (Array.isArray(representations) && data) {
    const entities = (data as { _entities?: unknown })._entities;
    if (!Array.isArray(entities) || entities.length !== representations.length) {
      return `"data._entities" is not a list of the ${representations.length} entities asked for`;
    }
  }
  return undefined;
}

function bodyText(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > MAX_LOGGED_BODY ? `${text.slice(0, MAX_LOGGED_BODY)}… (${text.length} chars)` : text;
}

/**
 * Rewrites every error of a response before it is sent:
 * - a subgraph call that failed (SubgraphFailure) keeps its stable code and subgraph, and gains
 *   the request id;
 * - an error a subgraph raised with a public code keeps its message, code, path and its other
 *   extensions, minus stack traces, exceptions and HTTP details;
 * - any other error from a subgraph becomes SUBGRAPH_ERROR naming the subgraph and the request;
 * - the gateway's own internal errors become a bare INTERNAL_SERVER_ERROR with the request id;
 * - the gateway's deliberate errors (validation, limits, auth) pass unchanged.
 * What is masked is logged once, as one event with the request id and the original: `log` gets
 * it with the request's context (the gateway writes it on the request's JSON logger, see
 * telemetry.ts); by default it is printed as one JSON line.
 * Runs at willSendResponse, where the formatted errors and the originals (`errors`, in the same
 * order) and the context are all at hand; Apollo's formatError sees no context.
 */
/** Receives each masked error's event (`event: 'subgraph_error'`, request id, subgraph, code, cause). */
export type SubgraphErrorLog = (event: Record<string, unknown>, context: GatewayContext) => void;

export function maskSubgraphErrors(
  log: SubgraphErrorLog = (event) => console.error(`[gateway] ${JSON.stringify(event)}`),
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, errors, contextValue }) {
          const body = response.body;
          const result = body.kind === 'single' ? body.singleResult : body.initialResult;
          if (!result.errors?.length) return;
          const originals = errors?.length === result.errors.length ? errors : undefined;
          const masked = result.errors.map((formatted, index) =>
            maskError(formatted, originals?.[index], contextValue, log),
          );
          (result as { errors?: readonly GraphQLFormattedError[] }).errors = masked;
        },
      };
    },
  };
}

function maskError(
  formatted: GraphQLFormattedError,
  original: GraphQLError | undefined,
  context: GatewayContext,
  log: SubgraphErrorLog,
): GraphQLFormattedError {
  const { requestId } = context;
  const extensions = formatted.extensions ?? {};
  const code = typeof extensions.code === 'string' ? extensions.code : undefined;
  const where = {
    ...(formatted.locations && { locations: formatted.locations }),
    ...(formatted.path && { path: formatted.path }),
  };
  const record = (subgraph: string | undefined, given: string, cause: FailureDetails) =>
    log(
      {
        event: 'subgraph_error',
        requestId,
        ...(context.clientRequestId && { clientRequestId: context.clientRequestId }),
        ...(subgraph && { subgraph }),
        code: given,
        ...(formatted.path && { path: formatted.path }),
        cause,
      },
      context,
    );

  const failure = original instanceof SubgraphFailure ? original : undefined;
  const failed = typeof extensions.subgraph === 'string' ? extensions.subgraph : failure?.subgraph;
  if (code && SUBGRAPH_FAILURE_CODES.has(code) && failed) {
    record(failed, code, failure?.details ?? { message: formatted.message });
    const message =
      code === 'SUBGRAPH_ERROR' ? `Subgraph "${failed}" failed (request ${requestId}).` : formatted.message;
    return { message, ...where, extensions: { code, subgraph: failed, requestId } };
  }

  const serviceName = typeof extensions.serviceName === 'string' ? extensions.serviceName : undefined;
  if (serviceName) {
    if (code && SUBGRAPH_PUBLIC_CODES.has(code)) {
      return {
        message: formatted.message,
        ...where,
        extensions: { ...withoutInternals(extensions), subgraph: serviceName },
      };
    }
    const stack =
      extensions.stacktrace ?? (extensions.exception as { stacktrace?: unknown } | undefined)?.stacktrace;
    record(serviceName, 'SUBGRAPH_ERROR', {
      message: formatted.message,
      code,
      ...(Array.isArray(stack) && { stack: stack.join('\n') }),
      ...(Object.keys(withoutInternals(extensions)).length > 1 && {
        body: bodyText(withoutInternals(extensions)),
      }),
    });
    return {
      message: `Subgraph "${serviceName}" failed (request ${requestId}).`,
      ...where,
      extensions: { code: 'SUBGRAPH_ERROR', subgraph: serviceName, requestId },
    };
  }

  if (code === undefined || code === 'INTERNAL_SERVER_ERROR') {
    const cause = original?.originalError ?? original;
    record(undefined, 'INTERNAL_SERVER_ERROR', {
      message: cause?.message ?? formatted.message,
      stack: cause?.stack,
    });
    return {
      message: `Internal server error (request ${requestId}).`,
      ...where,
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
    };
  }
  return { ...formatted, extensions: withoutInternals(extensions) };
}

function withoutInternals(extensions: Record<string, unknown>): Record<string, unknown> {
  const kept = { ...extensions };
  for (const key of INTERNAL_EXTENSIONS) delete kept[key];
  return kept;
}
