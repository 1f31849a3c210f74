import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * The error codes a client can act on. Anything else that reaches the client is an internal
 * error, and its message is replaced so that no stack trace or driver detail leaks out.
 */
export const PUBLIC_ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'RATE_LIMITED',
  'OPERATION_NOT_TRUSTED',
  'PAYLOAD_TOO_LARGE',
  // A stopped request (deadline.ts) raises one per field cut short: logging each as internal would flood the log.
  'REQUEST_TIMEOUT',
  'REQUEST_ABANDONED',
] as const;

/** Whether an error with this `extensions.code` is meant for the client (else it is masked and logged). */
export function isPublicErrorCode(code: unknown): boolean {
  return typeof code === 'string' && (PUBLIC_ERROR_CODES as readonly string[]).includes(code);
}

/** Bad input: names the offending field (dotted path into the input) so a form can mark it. */
export function badUserInput(field: string, message: string): GraphQLError {
  return new GraphQLError(`${field}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', field } });
}

export function notFound(typename: string, key: string): GraphQLError {
  return new GraphQLError(`${typename} "${key}" does not exist`, {
    extensions: { code: 'NOT_FOUND', typename, key },
  });
}

export function conflict(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code: 'CONFLICT' } });
}

/**
 * The caller is not known: no valid credentials. `httpStatus` 401 is for failures before
 * execution (a bad token, an unsigned request), where the whole request is refused.
 */
export function unauthenticated(message: string, httpStatus?: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', ...(httpStatus ? { http: { status: httpStatus } } : {}) },
  });
}

/** The caller is known but its role or organisation does not allow this. */
export function forbidden(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code: 'FORBIDDEN' } });
}

/**
 * Apollo Server `formatError`: passes public errors through and masks the rest. The masked ones
 * are logged by the telemetry plugin (telemetry/plugin.ts), which knows the request: its id and
 * trace id go on the line with the stack.
 */
export function formatError(formatted: GraphQLFormattedError, _error?: unknown): GraphQLFormattedError {
  if (isPublicErrorCode(formatted.extensions?.code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return {
    message: 'Internal server error: the hub logged the cause; please retry or report it',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
