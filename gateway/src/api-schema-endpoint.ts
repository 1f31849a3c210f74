// GET /schema/api.graphql with any valid caller's token: the schema as clients see it (no federation
// internals), for front-end teams' code generators. It is served also when GATEWAY_INTROSPECTION is
// off, which keeps the schema from anonymous callers only: a signed-in caller's operations already
// reveal it. The text comes from the supergraph the gateway runs now (a registry publication
// changes it), printed as `npm run compose` prints schema/api.graphql, without that file's header.
import { createHash } from 'node:crypto';
import { sendJson, type Route } from '@clusterpolisee/kit/http';
import type { GraphQLSchema } from 'graphql';
import { printApiSchema } from '../../schema/api-schema';
import type { TokenVerifier } from './auth/tokens';

export const API_SCHEMA_PATH = '/schema/api.graphql';

export interface ApiSchemaEndpoint {
  /** Call with each API schema the gateway loads (onSchemaLoadOrUpdate). */
  update(apiSchema: GraphQLSchema): void;
  routes(): Record<string, Route>;
}

export function apiSchemaEndpoint(options: { verifyToken: TokenVerifier }): ApiSchemaEndpoint {
  let schema: GraphQLSchema | undefined;
  // Printed on first request after a load, not at every load: most gateways are never asked.
  let printed: { text: string; etag: string } | undefined;

  const route: Route = async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendJson(res, 405, failure('METHOD_NOT_ALLOWED', `GET ${API_SCHEMA_PATH} with a bearer token`));
    }
    let role: string;
    try {
      role = (await options.verifyToken(req.headers.authorization)).role;
    } catch (error) {
      res.setHeader('www-authenticate', 'Bearer');
      return sendJson(res, 401, failure('UNAUTHENTICATED', (error as Error).message));
    }
    if (role === 'anonymous') {
      res.setHeader('www-authenticate', 'Bearer');
      return sendJson(
        res,
        401,
        failure(
          'UNAUTHENTICATED',
          'The API schema is for signed-in callers: send "Authorization: Bearer <token>" (any role).',
        ),
      );
    }
    if (!schema) {
      return sendJson(res, 503, failure('SCHEMA_NOT_LOADED', 'The gateway has not loaded a supergraph yet.'));
    }
    printed ??= withEtag(printApiSchema(schema) + '\n');
    res.setHeader('etag', printed.etag);
    // Private: the answer depends on the caller's token; revalidate, since a publication changes it.
    res.setHeader('cache-control', 'private, no-cache');
    if (req.headers['if-none-match'] === printed.etag) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/graphql; charset=utf-8',
      'content-length': Buffer.byteLength(printed.text),
    });
    res.end(req.method === 'HEAD' ? undefined : printed.text);
  };

  return {
    update(apiSchema) {
      schema = apiSchema;
      printed = undefined;
    },
    routes: () => ({ [API_SCHEMA_PATH]: route }),
  };
}

function withEtag(text: string): { text: string; etag: string } {
  return { text, etag: `"${createHash('sha256').update(text).digest('base64url')}"` };
}

function failure(code: string, message: string) {
  return { ok: false, errors: [{ code, message }] };
}
