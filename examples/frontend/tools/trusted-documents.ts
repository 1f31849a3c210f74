// Turns a front-end's persisted-documents.json (GraphQL Code Generator's client preset with
// `persistedDocuments: { hashAlgorithm: 'sha256' }`: `{ "sha256:<hex>": "<operation text>" }`) into
// the gateway's trusted documents: one `.graphql` file per operation in GATEWAY_TRUSTED_DOCUMENTS_DIR,
// holding exactly the text that was hashed, so the gateway (which names a document by the sha256
// of its file) knows the app's hashes. Files are named `<app>.<hex>.graphql`: rewriting one app's
// operations removes that app's stale files and leaves every other file of the folder alone.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';

export interface TrustedDocumentsOptions {
  /** The client preset's persisted-documents.json. */
  manifest: string;
  /** The folder the gateway reads (GATEWAY_TRUSTED_DOCUMENTS_DIR). */
  dir: string;
  /** The app's name, the prefix of its files: letters, digits, `-` and `_`. */
  app: string;
}

export interface TrustedDocumentsPlan {
  /** File name to text, for every operation of the manifest. */
  files: Map<string, string>;
  /** The app's files in the folder that the manifest no longer lists. */
  stale: string[];
  /** Listed files missing from the folder or holding another text. */
  changed: string[];
}

const APP_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const KEY = /^(?:sha256:)?([0-9a-f]{64})$/;

/** What writing the manifest would change; throws, saying what to fix, on a manifest that is not one. */
export function planTrustedDocuments(options: TrustedDocumentsOptions): TrustedDocumentsPlan {
  if (!APP_NAME.test(options.app)) {
    throw new Error(
      `--app "${options.app}" must be letters, digits, "-" and "_" (it prefixes the file names).`,
    );
  }
  const manifest = readManifest(options.manifest);
  const files = new Map<string, string>();
  for (const [key, text] of Object.entries(manifest)) {
    const hex = KEY.exec(key)?.[1];
    if (!hex || typeof text !== 'string') {
      throw new Error(
        `${options.manifest}: "${key}" is not a "sha256:<hex>": "<operation>" entry. Generate it with ` +
          "the client preset's persistedDocuments: { hashAlgorithm: 'sha256' }.",
      );
    }
    if (sha256(text) !== hex) {
      throw new Error(
        `${options.manifest}: the text of ${key} does not hash to it: regenerate the file rather than editing it.`,
      );
    }
    try {
      parse(text);
    } catch (error) {
      throw new Error(`${options.manifest}: ${key} is not valid GraphQL: ${(error as Error).message}`, {
        cause: error,
      });
    }
    files.set(`${options.app}.${hex}.graphql`, text);
  }
  if (files.size === 0) throw new Error(`${options.manifest} lists no operation.`);

  const present = existsSync(options.dir) ? readdirSync(options.dir) : [];
  const ownFile = new RegExp(`^${options.app}\\.[0-9a-f]{64}\\.graphql$`);
  return {
    files,
    stale: present.filter((file) => ownFile.test(file) && !files.has(file)),
    changed: [...files]
      .filter(([file, text]) => {
        const target = path.join(options.dir, file);
        return !existsSync(target) || readFileSync(target, 'utf8') !== text;
      })
      .map(([file]) => file),
  };
}

/** Writes the app's files and removes its stale ones; returns the plan it carried out. */
export function writeTrustedDocuments(options: TrustedDocumentsOptions): TrustedDocumentsPlan {
  const plan = planTrustedDocuments(options);
  if (!existsSync(options.dir)) {
    throw new Error(
      `${options.dir} does not exist: create the folder GATEWAY_TRUSTED_DOCUMENTS_DIR names first.`,
    );
  }
  for (const file of plan.changed) writeFileSync(path.join(options.dir, file), plan.files.get(file)!);
  for (const file of plan.stale) rmSync(path.join(options.dir, file));
  return plan;
}

function readManifest(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `${file} cannot be read (${(error as { code?: string }).code ?? String(error)}): run the app's codegen with persistedDocuments on first.`,
      { cause: error },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not JSON: it should be the client preset's persisted-documents.json.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${file} must be a JSON object of "sha256:<hex>": "<operation>" entries.`);
  }
  return value as Record<string, unknown>;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
