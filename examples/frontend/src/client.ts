// An Apollo Client for the hub's gateway: the caller's token on every request and, for a gateway
// with trusted documents on, each operation sent by its hash alone.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import type { DocumentNode } from 'graphql';

export interface HubClientOptions {
  /** The gateway's GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  url: string;
  /** The caller's token (from the identity provider; `npm run token` in development), or none. */
  token?: () => string | undefined | Promise<string | undefined>;
  /**
   * Send each operation as `extensions.persistedQuery.sha256Hash` without its text, for a gateway
   * with GATEWAY_TRUSTED_DOCUMENTS=on that lists this app's operations (`npm run trusted-documents`).
   * Off by default: a gateway without the list would not know the hashes.
   */
  persistedDocuments?: boolean;
}

export function createHubClient(options: HubClientOptions): ApolloClient {
  const links: ApolloLink[] = [
    new SetContextLink(async ({ headers }) => {
      const token = await options.token?.();
      return { headers: { ...headers, ...(token && { authorization: `Bearer ${token}` }) } };
    }),
  ];
  if (options.persistedDocuments) {
    links.push(
      new PersistedQueryLink({
        // The hash codegen computed over the text it listed in persisted-documents.json: the
        // gateway's trusted documents are named by it.
        generateHash: (document) => documentHash(document),
        // A gateway that does not know the hash refuses the operation; sending the text would not help.
        retry: () => false,
      }),
    );
  }
  links.push(new HttpLink({ uri: options.url }));
  return new ApolloClient({ link: ApolloLink.from(links), cache: new InMemoryCache() });
}

function documentHash(document: DocumentNode): string {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (typeof hash !== 'string') {
    throw new Error(
      'This operation has no persisted-document hash: write it with graphql() from src/__generated__ and run `npm run codegen`.',
    );
  }
  return hash.replace(/^sha256:/, '');
}
