// GET /usage?coordinate=Organisation.acronym&days=30 with an admin's token: which clients and
// operations used a schema coordinate. An HTTP route rather than a GraphQL field: the gateway's
// schema is the subgraphs' composition, and a field of the gateway's own would need a subgraph
// of its own to live in. The CLI's `npm run subgraph -- usage <coordinate>` reads the same records.
import { sendJson, type Route } from '@clusterpolisee/kit/http';
import type { Db } from 'mongodb';
import { coordinateUsage, DEFAULT_USAGE_WINDOW_DAYS } from '../../../schema/registry/usage';
import type { TokenVerifier } from '../auth/tokens';

export const USAGE_PATH = '/usage';
const COORDINATE = /^[_A-Za-z][_0-9A-Za-z]*\.([_A-Za-z][_0-9A-Za-z]*(\([_A-Za-z][_0-9A-Za-z]*:\))?|\*)$/;

export function usageRoutes(options: { db: () => Db; verifyToken: TokenVerifier }): Record<string, Route> {
  const route: Route = async (req, res) => {
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      return sendJson(res, 405, failure('METHOD_NOT_ALLOWED', 'GET /usage?coordinate=Type.field&days=30'));
    }
    let role: string;
    try {
      role = (await options.verifyToken(req.headers.authorization)).role;
    } catch (error) {
      return sendJson(res, 401, failure('UNAUTHENTICATED', (error as Error).message));
    }
    if (role !== 'admin') {
      if (role === 'anonymous') res.setHeader('www-authenticate', 'Bearer');
      return sendJson(
        res,
        role === 'anonymous' ? 401 : 403,
        failure(
          role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN',
          "Recorded usage is for the hub's administrators.",
        ),
      );
    }
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const coordinate = query.get('coordinate') ?? '';
    if (!COORDINATE.test(coordinate)) {
      return sendJson(
        res,
        400,
        failure(
          'BAD_USER_INPUT',
          '"coordinate" must be Type.field, Type.field(argument:), Enum.VALUE or Type.*',
        ),
      );
    }
    const days = Number(query.get('days') ?? DEFAULT_USAGE_WINDOW_DAYS);
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
      return sendJson(res, 400, failure('BAD_USER_INPUT', '"days" must be a whole number from 1 to 3650'));
    }
    const since = new Date(Date.now() - days * 86_400_000);
    const uses = (await coordinateUsage(options.db(), [coordinate], since)).get(coordinate) ?? [];
    sendJson(res, 200, {
      coordinate,
      since: since.toISOString(),
      clients: [...new Set(uses.map((use) => use.client))],
      uses: uses.map((use) => ({ ...use, lastSeen: use.lastSeen.toISOString() })),
    });
  };
  return { [USAGE_PATH]: route };
}

function failure(code: string, message: string) {
  return { ok: false, errors: [{ code, message }] };
}
