import path from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

/**
 * Typed operations for this app from the hub's client schema (schema/api.graphql, or
 * GET /schema/api.graphql with a token): `npm run codegen -w examples/frontend` after changing an
 * operation, and commit src/__generated__/ (`npm test` fails when it is out of date).
 * persisted-documents.json lists every operation by its sha256, the form
 * `npm run trusted-documents` turns into the gateway's trusted documents.
 */
const config: CodegenConfig = {
  schema: path.join(__dirname, '../../schema/api.graphql'),
  documents: [path.join(__dirname, 'src/**/*.ts'), '!' + path.join(__dirname, 'src/__generated__/**')],
  // An operation that does not match the schema fails the generation instead of being skipped.
  ignoreNoDocuments: false,
  generates: {
    [path.join(__dirname, 'src/__generated__/')]: {
      preset: 'client',
      // Apollo Client's cache adds `__typename` to what it sends; with it in the generated
      // documents, the text the gateway runs by hash is the one the cache expects.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      presetConfig: {
        // The gateway names trusted documents by the sha256 of their text.
        persistedDocuments: { hashAlgorithm: 'sha256' },
        // Outside React the name `useFragment` would mislead: it is a plain function.
        fragmentMasking: { unmaskFunctionName: 'getFragmentData' },
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // A custom scalar added to the hub fails the generation until it is mapped here.
        strictScalars: true,
        scalars: { ID: 'string' },
      },
    },
  },
};

export default config;
