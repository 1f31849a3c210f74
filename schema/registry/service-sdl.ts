// Reads a running subgraph's SDL the way the gateway would (`{ _service { sdl } }`). The hub's
// subgraphs refuse any request without the gateway's signed identity, so the caller passes the
// gateway's identity key and the request goes signed as an anonymous caller.
import { randomUUID } from 'node:crypto';
import {
  ANONYMOUS,
  IDENTITY_HEADER,
  signForwardedIdentity,
  type IdentitySigningKey,
} from '../../subgraphs/kit/src/auth';

export async function fetchServiceSdl(
  name: string,
  url: string,
  options: { identityKey?: IdentitySigningKey; timeoutMs?: number } = {},
): Promise<string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.identityKey) {
    headers[IDENTITY_HEADER] = await signForwardedIdentity(
      ANONYMOUS,
      options.identityKey,
      name,
      randomUUID(),
    );
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new Error(
      `cannot reach subgraph "${name}" at ${url} (${(error as Error).message}): start it, or pass --sdl <file>`,
    );
  }
  const body = (await response.json().catch(() => undefined)) as
    { data?: { _service?: { sdl?: unknown } }; errors?: { message: string }[] } | undefined;
  const sdl = body?.data?._service?.sdl;
  if (typeof sdl !== 'string') {
    const why = body?.errors?.map((e) => e.message).join('; ') ?? `HTTP ${response.status}`;
    throw new Error(
      `subgraph "${name}" at ${url} gave no SDL for { _service { sdl } } (${why}): pass --sdl <file>`,
    );
  }
  return sdl;
}
