// Trusted documents: with GATEWAY_TRUSTED_DOCUMENTS=on only the operations the project lists
// (schema/operations/*.graphql) run, so an application's users cannot send operations of their own.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Identity, Role } from '@clusterpolisee/kit/auth';
import { GraphQLError, parse, print } from 'graphql';
import { httpHead } from './http-head';

/** One operation of a request body, as sent (nothing in it is checked yet). */
export interface OperationRequest {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
  /** GraphQL-over-HTTP persisted documents: `sha256:<hex>`, or the bare hex. */
  documentId?: unknown;
}

/** People in the IDE explore: their roles may send any operation. */
export const ROLES_FREE_OF_TRUSTED_DOCUMENTS: ReadonlySet<Role> = new Set(['analyst', 'admin']);

export interface TrustedDocuments {
  /** The folder, as named in messages. */
  folder: string;
  /** Ids (sha256 hex of the file text) of the listed documents. */
  ids: string[];
  /**
   * The operation with its `query` filled in when it has none and names a listed document by
   * `documentId` or `extensions.persistedQuery.sha256Hash`; otherwise the operation as it was.
   */
  resolve(operation: OperationRequest): OperationRequest;
  /** Throws OPERATION_NOT_TRUSTED (HTTP 403) unless each operation is listed or the caller's role is free of the list. */
  check(identity: Identity, operations: OperationRequest[]): void;
}

export interface TrustedDocumentsOptions {
  /** The folder of `.graphql` files; each file is one document (it may hold several operations). */
  dir: string;
  /** Cap on tokens when an unlisted text is parsed to compare it in normal form. Default 2000. */
  maxTokens?: number;
}

/**
 * Loads every `.graphql` file of the folder at start (a file that does not parse stops the start,
 * naming it) and indexes it by the sha256 of its text. A request names one by that hash, or sends
 * its text: the same text, or the same once comments, commas and layout are normalised.
 */
export function loadTrustedDocuments(options: TrustedDocumentsOptions): TrustedDocuments {
  const dir = path.resolve(options.dir);
  const relative = path.relative(process.cwd(), dir);
  const folder = relative && !relative.startsWith('..') ? relative : dir;
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((file) => file.endsWith('.graphql'))
      .sort();
  } catch (error) {
    throw new Error(
      `GATEWAY_TRUSTED_DOCUMENTS is on but ${dir} cannot be read (${(error as { code?: string }).code ?? String(error)}): ` +
        'set GATEWAY_TRUSTED_DOCUMENTS_DIR to the folder of the listed operations.',
      { cause: error },
    );
  }
  if (files.length === 0) {
    throw new Error(
      `GATEWAY_TRUSTED_DOCUMENTS is on but ${dir} holds no .graphql files: every operation would be refused.`,
    );
  }

  const byId = new Map<string, string>();
  const normalForms = new Set<string>();
  for (const file of files) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    let normal: string;
    try {
      normal = print(parse(text, { noLocation: true }));
    } catch (error) {
      throw new Error(
        `Trusted document ${path.join(folder, file)} is not valid GraphQL: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    byId.set(sha256(text), text);
    normalForms.add(sha256(normal));
  }
  const maxTokens = options.maxTokens ?? 2_000;

  const isListed = (query: string): boolean => {
    if (byId.has(sha256(query))) return true;
    try {
      return normalForms.has(sha256(print(parse(query, { noLocation: true, maxTokens }))));
    } catch {
      return false; // not even GraphQL: certainly not listed
    }
  };

  const refusal = () =>
    new GraphQLError(
      `This gateway runs only the operations listed in ${folder} (trusted documents): send one of them, by its ` +
        'text or by the sha256 of its file as "documentId" or extensions.persistedQuery.sha256Hash. ' +
        'Analysts and admins may send any operation.',
      { extensions: { code: 'OPERATION_NOT_TRUSTED', http: httpHead(403) } },
    );

  return {
    folder,
    ids: [...byId.keys()],
    resolve(operation) {
      if (typeof operation.query === 'string' && operation.query !== '') return operation;
      const id = documentIdOf(operation);
      const text = id === undefined ? undefined : byId.get(id);
      return text === undefined ? operation : { ...operation, query: text };
    },
    check(identity, operations) {
      if (ROLES_FREE_OF_TRUSTED_DOCUMENTS.has(identity.role)) return;
      for (const operation of operations) {
        if (typeof operation.query !== 'string' || !isListed(operation.query)) throw refusal();
      }
    },
  };
}

function documentIdOf(operation: OperationRequest): string | undefined {
  if (typeof operation.documentId === 'string')
    return operation.documentId.replace(/^sha256:/, '').toLowerCase();
  const persisted = (operation.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)
    ?.persistedQuery;
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash.toLowerCase() : undefined;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
