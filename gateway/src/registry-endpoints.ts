// The schema registry over HTTP, for a partner's CI: POST /registry/check and /registry/publish
// with `{ "name", "url", "sdl"?, "overrideReason"? }` (the last for admins) and a bearer token. A partner's token must carry the scope
// `publish:schema` and name its own subgraph in a `subgraph` claim; an admin's may act on any.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { IdentitySigningKey } from '@clusterpolisee/kit/auth';
import { sendJson, type Route } from '@clusterpolisee/kit/http';
import { GraphQLError } from 'graphql';
import { decodeJwt } from 'jose';
import { checkCandidateWithUsage, formatProblems } from '../../schema/registry/check';
import type { CompositionProblem } from '../../schema/composition';
import { publishWithUsageCheck } from '../../schema/registry/usage-publish';
import { PUBLISH_SCHEMA_SCOPE } from '../../schema/registry/scope';
import { fetchServiceSdl } from '../../schema/registry/service-sdl';
import type { RegistryStore } from '../../schema/registry/store';
import type { TokenVerifier } from './auth/tokens';

export { PUBLISH_SCHEMA_SCOPE };
export const REGISTRY_CHECK_PATH = '/registry/check';
export const REGISTRY_PUBLISH_PATH = '/registry/publish';

export interface RegistryEndpointOptions {
  store: RegistryStore;
  verifyToken: TokenVerifier;
  maxBodyBytes: number;
  /** Signs the `_service { sdl }` request when the body carries no SDL. */
  identityKey: IdentitySigningKey;
  /** How far back recorded usage counts for the checks (GATEWAY_USAGE_WINDOW_DAYS). */
  usageWindowDays?: number;
}

interface Candidate {
  name: string;
  url: string;
  sdl?: string;
  /** An admin's reason to publish despite breaking changes that clients use (audited). */
  overrideReason?: string;
}

export function registryRoutes(options: RegistryEndpointOptions): Record<string, Route> {
  const handle =
    (publish: boolean): Route =>
    async (req, res) => {
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        return sendJson(
          res,
          405,
          failure('METHOD_NOT_ALLOWED', 'POST a JSON body { "name", "url", "sdl"? }'),
        );
      }
      const body = await readJson(req, options.maxBodyBytes);
      if ('problem' in body) return sendJson(res, body.status, failure('BAD_REQUEST', body.problem));
      const candidate = candidateOf(body.value);
      if (typeof candidate === 'string') return sendJson(res, 400, failure('BAD_USER_INPUT', candidate));

      const caller = await authorize(req, candidate.name, options.verifyToken);
      if ('status' in caller) return deny(res, caller);
      if (candidate.overrideReason !== undefined && caller.role !== 'admin') {
        return sendJson(
          res,
          403,
          failure('FORBIDDEN', 'Only an admin may override the usage check ("overrideReason").'),
        );
      }
      const usage = { windowDays: options.usageWindowDays, overrideReason: candidate.overrideReason };

      let sdl = candidate.sdl;
      if (sdl === undefined) {
        try {
          sdl = await fetchServiceSdl(candidate.name, candidate.url, { identityKey: options.identityKey });
        } catch (error) {
          return sendJson(res, 422, failure('SDL_UNAVAILABLE', (error as Error).message));
        }
      }
      const source = {
        name: candidate.name,
        url: candidate.url,
        sdl,
        origin: `${candidate.name} (${candidate.sdl === undefined ? `_service.sdl of ${candidate.url}` : 'posted SDL'})`,
      };
      if (!publish) {
        const latest = await options.store.latest();
        const outcome = await checkCandidateWithUsage(source, latest, {
          ...usage,
          db: options.store.database(),
        });
        if (!outcome.ok) return sendJson(res, 422, refusedBody(outcome.errors));
        return sendJson(res, 200, { ok: true, version: latest?.version ?? 0, warnings: outcome.warnings });
      }
      const outcome = await publishWithUsageCheck(
        options.store,
        source,
        {
          subject: caller.subject,
          role: caller.role,
          organisationId: caller.organisationId,
          requestId: randomUUID(),
        },
        usage,
      );
      if (!outcome.ok) return sendJson(res, 422, refusedBody(outcome.errors));
      const { version, author, at } = outcome.version;
      return sendJson(res, 200, {
        ok: true,
        version,
        author,
        at: at.toISOString(),
        warnings: outcome.warnings,
      });
    };
  return { [REGISTRY_CHECK_PATH]: handle(false), [REGISTRY_PUBLISH_PATH]: handle(true) };
}

type Caller = { subject: string; role: string; organisationId: string | null };
type Denial = { status: number; code: string; message: string; headers?: Record<string, string> };

async function authorize(
  req: IncomingMessage,
  name: string,
  verifyToken: TokenVerifier,
): Promise<Caller | Denial> {
  const authorization = req.headers.authorization;
  let identity;
  try {
    identity = await verifyToken(authorization);
  } catch (error) {
    // The verifier's refusal carries the status and the RFC 6750 challenge Apollo would send.
    const http =
      error instanceof GraphQLError
        ? (error.extensions.http as { status?: number; headers?: Map<string, string> } | undefined)
        : undefined;
    return {
      status: http?.status ?? 401,
      code:
        typeof (error as GraphQLError).extensions?.code === 'string'
          ? String((error as GraphQLError).extensions.code)
          : 'UNAUTHENTICATED',
      message: (error as Error).message,
      headers: Object.fromEntries(http?.headers ?? []),
    };
  }
  if (identity.role === 'anonymous') {
    return {
      status: 401,
      code: 'UNAUTHENTICATED',
      message: `Send a token with the scope ${PUBLISH_SCHEMA_SCOPE} for subgraph "${name}" (npm run token -- --subgraph ${name} ...).`,
      headers: { 'www-authenticate': 'Bearer' },
    };
  }
  const caller = { subject: identity.subject, role: identity.role, organisationId: identity.organisationId };
  if (identity.role === 'admin') return caller;
  // verifyToken accepted the signature, issuer, audience and lifetime: its claims can be read.
  const claims = decodeJwt(authorization!.replace(/^Bearer +/i, '').trim());
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  if (!scopes.includes(PUBLISH_SCHEMA_SCOPE)) {
    return {
      status: 403,
      code: 'FORBIDDEN',
      message: `Your token lacks the scope ${PUBLISH_SCHEMA_SCOPE}: ask the hub's administrators for one bound to subgraph "${name}".`,
    };
  }
  if (claims.subgraph !== name) {
    return {
      status: 403,
      code: 'FORBIDDEN',
      message:
        `Your token may publish subgraph ${JSON.stringify(claims.subgraph ?? null)}, not "${name}": ` +
        'a partner publishes only its own subgraph.',
    };
  }
  return caller;
}

function deny(res: ServerResponse, denial: Denial): void {
  for (const [header, value] of Object.entries(denial.headers ?? {})) res.setHeader(header, value);
  sendJson(res, denial.status, failure(denial.code, denial.message));
}

function candidateOf(value: unknown): Candidate | string {
  if (typeof value !== 'object' || value === null)
    return 'The body must be a JSON object { "name", "url", "sdl"? }.';
  const { name, url, sdl, overrideReason } = value as Record<string, unknown>;
  if (typeof name !== 'string' || name === '') return '"name" (the subgraph\'s name) is required.';
  if (typeof url !== 'string' || url === '')
    return '"url" (where the gateway calls the subgraph) is required.';
  if (sdl !== undefined && typeof sdl !== 'string')
    return '"sdl" must be the SDL text, or absent to read _service.sdl.';
  if (overrideReason !== undefined && (typeof overrideReason !== 'string' || overrideReason.trim() === ''))
    return '"overrideReason" must be a non-empty reason, or absent.';
  return {
    name,
    url,
    ...(sdl !== undefined && { sdl }),
    ...(overrideReason !== undefined && { overrideReason }),
  };
}

function failure(code: string, message: string) {
  return { ok: false, errors: [{ code, message, locations: [] }] };
}

function refusedBody(errors: CompositionProblem[]) {
  return { ok: false, errors, text: formatProblems(errors) };
}

async function readJson(
  req: IncomingMessage,
  maxBytes: number,
): Promise<{ value: unknown } | { status: number; problem: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return { status: 413, problem: `The body exceeds ${maxBytes} bytes.` };
    chunks.push(chunk as Buffer);
  }
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { status: 400, problem: 'The body is not valid JSON.' };
  }
}
