// What the server tells the IDE page, as JSON inside the page (no inline script runs).

/** An example operation from `schema/operations/*.graphql`. */
export interface ExampleOperation {
  /** The file name, e.g. `partner-organisations.graphql`. */
  file: string;
  /** The operation's name, e.g. `PartnerOrganisations`. */
  name: string;
  /** The question it answers: the comment lines at the top of the file. */
  description: string;
  /** The whole file: the operation with its comments. */
  query: string;
}

export interface IdePageConfig {
  /** Where to send operations, relative to the page: `graphql`. */
  endpoint: string;
  /** False when the gateway refuses introspection: no docs, explorer or completion then. */
  introspection: boolean;
  /** URLs of the editor's web workers, relative to the page. */
  workers: { editor: string; json: string; graphql: string };
  examples: ExampleOperation[];
}

/** The id of the `<script type="application/json">` element that holds the config. */
export const CONFIG_ELEMENT_ID = 'ide-config';
