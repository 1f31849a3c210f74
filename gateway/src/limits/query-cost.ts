// The hub's estimate of what an operation costs the subgraphs, checked as a validation rule so
// that an operation over the limit is refused before any subgraph is called. Lists multiply:
// their size comes from the federation demand-control directive `@listSize` in the supergraph.
import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  parse,
  type ArgumentNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import { PerSchemaDirectives } from '../per-schema-directives';
import { directiveArgument, forEachDirectedPlace, importedAs, specLinks } from '../supergraph-sdl';

/** A field's `@listSize(assumedSize, slicingArguments, sizedFields)`, as the supergraph declares it. */
export interface ListSize {
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
}

/** The cost directives of one supergraph: `@listSize` by `Type.field`, `@cost` weights by `Type.field` or `Type`. */
export interface CostDirectives {
  listSizes: ReadonlyMap<string, ListSize>;
  weights: ReadonlyMap<string, number>;
}

export const NO_COST_DIRECTIVES: CostDirectives = { listSizes: new Map(), weights: new Map() };

const COST_SPEC = /^https:\/\/specs\.apollo\.dev\/(?:cost|federation)\/v[\d.]+$/;

/**
 * Reads `@listSize` and `@cost` from a supergraph's SDL. The gateway's API schema drops every
 * directive, so they are read from the text the gateway loaded. Composition writes them under the
 * names the supergraph's `@link(url: ".../cost/v0.1", import: [...])` gives them (`@listSize` when
 * imported, else `@cost__listSize`), and `@cost` as `@cost`.
 */
export function costDirectivesFromSupergraph(supergraphSdl: string): CostDirectives {
  const document = parse(supergraphSdl, { noLocation: true });
  const names = { listSize: new Set(['cost__listSize']), cost: new Set(['cost__cost']) };
  for (const { link } of specLinks(document, COST_SPEC)) {
    // Composition writes `@cost` under its own name without importing it (federation 2.14).
    names.cost.add('cost');
    for (const as of importedAs(link, '@listSize')) names.listSize.add(as);
    for (const as of importedAs(link, '@cost')) names.cost.add(as);
  }

  const listSizes = new Map<string, ListSize>();
  const weights = new Map<string, number>();
  forEachDirectedPlace(document, (key, directives, isField) => {
    const cost = directives?.find((directive) => names.cost.has(directive.name.value));
    const weight = cost && directiveArgument(cost, 'weight');
    if (typeof weight === 'number' && weight >= 0) weights.set(key, weight);
    const listSize = isField && directives?.find((directive) => names.listSize.has(directive.name.value));
    if (!listSize) return;
    const assumedSize = directiveArgument(listSize, 'assumedSize');
    const slicingArguments = directiveArgument(listSize, 'slicingArguments');
    const sizedFields = directiveArgument(listSize, 'sizedFields');
    listSizes.set(key, {
      ...(typeof assumedSize === 'number' && assumedSize >= 0 ? { assumedSize } : {}),
      ...(isStringList(slicingArguments) && slicingArguments.length > 0 ? { slicingArguments } : {}),
      ...(isStringList(sizedFields) && sizedFields.length > 0 ? { sizedFields } : {}),
    });
  });
  return { listSizes, weights };
}

export interface QueryCostOptions {
  /** The highest cost accepted (`GATEWAY_MAX_COST`). */
  maxCost: number;
  /**
   * Size assumed for a list field that declares no `@listSize` (`GATEWAY_DEFAULT_LIST_SIZE`), so
   * that a partner subgraph's undeclared list is never free.
   */
  defaultListSize: number;
  /**
   * The cost directives for the schema being validated; the gateway swaps them when the
   * supergraph reloads. Default: none, so every list counts `defaultListSize`.
   */
  directives?: (schema: GraphQLSchema) => CostDirectives;
  /**
   * Size of a page whose slicing argument (`first`) is a variable: the largest page a subgraph
   * serves (the kit's `maxFirst`), since validation runs once per document, before variables are
   * known. Default 100.
   */
  maxPageSize?: number;
  /** Size of a page whose slicing argument is left out and that declares no `assumedSize`: the kit's default page. Default 20. */
  defaultPageSize?: number;
}

const HINT = 'Split the operation into smaller ones, or ask for smaller pages (`first`).';

/**
 * The cost of every operation of a document, by operation name (`<anonymous>` for one without).
 *
 * The model is the demand-control one of `@cost`/`@listSize`: a field returning an object costs 1
 * (or its `@cost` weight, or its type's), a scalar or enum field 0 (or its weight), each for every
 * time it is resolved, so that a field inside lists counts once per item of every list around it.
 * A list's size is, in order: the value of a slicing argument (`first`: a literal as given, a
 * variable as `maxPageSize`, left out as the field's `assumedSize`, else `defaultPageSize`), passed
 * to the `sizedFields` of a connection (`nodes`); the field's `assumedSize`; else
 * `defaultListSize`. Aliases count separately; fragments count where they are spread; `@skip` and
 * `@include` are ignored (both branches may run). Introspection fields cost nothing.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  directives: CostDirectives,
  options: Omit<QueryCostOptions, 'maxCost' | 'directives'>,
): Map<string, number> {
  const estimator = new Estimator(schema, document, directives, options);
  const costs = new Map<string, number>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = schema.getRootType(definition.operation);
    if (!root) continue;
    costs.set(
      definition.name?.value ?? '<anonymous>',
      estimator.selectionCost(definition.selectionSet, root),
    );
  }
  return costs;
}

/**
 * The validation rule: refuses an operation whose estimate exceeds `maxCost` with
 * GRAPHQL_VALIDATION_FAILED (Apollo's code for validation errors, HTTP 400), a message naming the
 * cost and the limit, and `extensions.limit: 'maxCost'` and `extensions.cost`.
 */
export function queryCostRule(options: QueryCostOptions): ValidationRule {
  const estimateOptions = {
    defaultListSize: options.defaultListSize,
    maxPageSize: options.maxPageSize,
    defaultPageSize: options.defaultPageSize,
  };
  return (context: ValidationContext) => ({
    Document: {
      leave(document) {
        const schema = context.getSchema();
        const directives = options.directives?.(schema) ?? NO_COST_DIRECTIVES;
        let costs: Map<string, number>;
        try {
          costs = estimateCost(schema, document, directives, estimateOptions);
        } catch {
          // A malformed document (unknown fragment, cycle) is reported by graphql-js's own rules.
          return;
        }
        for (const [operation, cost] of costs) {
          if (cost <= options.maxCost) continue;
          const shown = Number.isFinite(cost) ? Math.ceil(cost) : Number.MAX_SAFE_INTEGER;
          const which = operation === '<anonymous>' ? '' : ` of ${operation}`;
          context.reportError(
            new GraphQLError(
              `Query cost${which} ${shown} exceeds the limit of ${options.maxCost} (GATEWAY_MAX_COST). ${HINT}`,
              { extensions: { limit: 'maxCost', cost: shown, maxCost: options.maxCost } },
            ),
          );
        }
      },
    },
  });
}

/** Keeps the cost directives of each schema the gateway has loaded. */
export class CostDirectiveRegistry extends PerSchemaDirectives<CostDirectives> {
  constructor() {
    super(costDirectivesFromSupergraph, NO_COST_DIRECTIVES);
  }
}

class Estimator {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  // Per-instance cost of a fragment on a type: a document's fragments spread in fragments would
  // otherwise be walked once per spread, exponentially many times.
  private readonly fragmentCosts = new Map<string, number>();
  private readonly visiting = new Set<string>();
  private readonly maxPageSize: number;
  private readonly defaultPageSize: number;

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly directives: CostDirectives,
    private readonly options: Omit<QueryCostOptions, 'maxCost' | 'directives'>,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
    this.maxPageSize = options.maxPageSize ?? 100;
    this.defaultPageSize = options.defaultPageSize ?? 20;
  }

  /** The cost of a selection set for one object of `parent`; `sized` holds sizes a connection passes to its `sizedFields`. */
  selectionCost(
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType,
    sized?: Map<string, number>,
  ): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      switch (selection.kind) {
        case Kind.FIELD: {
          const name = selection.name.value;
          if (name.startsWith('__')) break; // __typename, __schema, __type: introspection is exempt
          const field = fieldOf(parent, name);
          if (!field) throw new Error(`unknown field ${parent.name}.${name}`);
          total += this.fieldCost(parent, field, selection.arguments ?? [], selection.selectionSet, sized);
          break;
        }
        case Kind.INLINE_FRAGMENT: {
          const condition = selection.typeCondition
            ? this.schema.getType(selection.typeCondition.name.value)
            : parent;
          if (!condition) throw new Error('unknown type condition');
          total += this.selectionCost(selection.selectionSet, condition, sized);
          break;
        }
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          const fragment = this.fragments.get(name);
          const condition = fragment && this.schema.getType(fragment.typeCondition.name.value);
          if (!fragment || !condition) throw new Error(`unknown fragment ${name}`);
          const key = `${name}|${condition.name}|${sized ? [...sized].join(',') : ''}`;
          let cost = this.fragmentCosts.get(key);
          if (cost === undefined) {
            if (this.visiting.has(key)) throw new Error(`fragment cycle through ${name}`);
            this.visiting.add(key);
            cost = this.selectionCost(fragment.selectionSet, condition, sized);
            this.visiting.delete(key);
            this.fragmentCosts.set(key, cost);
          }
          total += cost;
          break;
        }
      }
    }
    return total;
  }

  private fieldCost(
    parent: GraphQLNamedType,
    field: GraphQLField<unknown, unknown>,
    args: readonly ArgumentNode[],
    selectionSet: SelectionSetNode | undefined,
    sized: Map<string, number> | undefined,
  ): number {
    const key = `${parent.name}.${field.name}`;
    const type = getNamedType(field.type);
    const listSize = this.directives.listSizes.get(key);
    const weight =
      this.directives.weights.get(key) ??
      this.directives.weights.get(type.name) ??
      (isCompositeType(type) ? 1 : 0);

    const slice = listSize?.slicingArguments ? this.sliceSize(listSize, args) : undefined;
    let childrenSized: Map<string, number> | undefined;
    if (listSize?.sizedFields && slice !== undefined) {
      childrenSized = new Map(listSize.sizedFields.map((name) => [name, slice]));
    }
    const count = isListType(getNullableType(field.type))
      ? (sized?.get(field.name) ??
        (listSize?.sizedFields ? undefined : slice) ??
        listSize?.assumedSize ??
        this.options.defaultListSize)
      : 1;
    const children = selectionSet ? this.selectionCost(selectionSet, type, childrenSized) : 0;
    return count * (weight + children);
  }

  /** The page a slicing argument asks for: the largest of those given, else the field's assumed size, else the default page. */
  private sliceSize(listSize: ListSize, args: readonly ArgumentNode[]): number {
    let size: number | undefined;
    for (const name of listSize.slicingArguments ?? []) {
      const argument = args.find((item) => item.name.value === name);
      if (!argument) continue;
      const value = sliceValue(argument.value, this.maxPageSize);
      if (value !== undefined) size = Math.max(size ?? 0, value);
    }
    return size ?? listSize.assumedSize ?? this.defaultPageSize;
  }
}

function sliceValue(value: ValueNode, maxPageSize: number): number | undefined {
  if (value.kind === Kind.INT) return Math.max(0, Number(value.value));
  if (value.kind === Kind.VARIABLE) return maxPageSize;
  return undefined; // null: the subgraph's default page
}

function fieldOf(type: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
