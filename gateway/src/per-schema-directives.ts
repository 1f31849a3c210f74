import type { GraphQLSchema } from 'graphql';

/**
 * What the gateway reads from the directives of each supergraph it loads (list sizes, auth
 * requirements), kept per API schema: the API schema drops those directives, and an operation is
 * validated against the schema it was parsed for, so a reload never mixes two supergraphs' maps.
 */
export class PerSchemaDirectives<T> {
  private readonly bySchema = new WeakMap<GraphQLSchema, T>();

  constructor(
    private readonly read: (coreSupergraphSdl: string) => T,
    private latest: T,
  ) {}

  /**
   * Reads the directives of a supergraph the gateway (re)loaded, for its API schema. An unreadable
   * one keeps the previous map: the gateway has already accepted the supergraph, and refusing
   * every operation would be worse than the last good map (behind which the kit still enforces).
   */
  update(coreSupergraphSdl: string, apiSchema?: GraphQLSchema): void {
    let directives: T;
    try {
      directives = this.read(coreSupergraphSdl);
    } catch {
      return;
    }
    this.latest = directives;
    if (apiSchema) this.bySchema.set(apiSchema, directives);
  }

  /** The directives of `schema`'s supergraph, else of the latest one loaded. */
  readonly for = (schema: GraphQLSchema): T => this.bySchema.get(schema) ?? this.latest;
}
