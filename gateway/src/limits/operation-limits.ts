// Limits on the shape of an operation (depth, aliases, cost, directives, tokens), checked while
// parsing and validating, and on the length of its texts (argument-length.ts), checked once its
// variables are known: an abusive operation is refused before any subgraph is called.
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { OperationLimits } from '../config';
import { argumentLengthLimits } from './argument-length';
import { queryCostRule, type CostDirectives } from './query-cost';

export interface OperationLimitsOptions {
  limits: OperationLimits;
  /**
   * Mask graphql-js's "Did you mean ...?" suggestions in error messages. They would reveal field
   * names that introspection hides, so the gateway masks them exactly when introspection is off;
   * with introspection on they reveal nothing new and help people in the IDE.
   */
  blockFieldSuggestions: boolean;
  /**
   * The `@listSize`/`@cost` directives of the schema being validated (a `CostDirectiveRegistry`'s
   * `for`, kept up to date as the supergraph reloads). Without them every list counts
   * `limits.defaultListSize`.
   */
  costDirectives?: (schema: GraphQLSchema) => CostDirectives;
}

export interface OperationLimitsSetup {
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
  plugins: ApolloServerPlugin[];
}

/**
 * graphql-armor's depth, alias and directive rules and the hub's cost estimate (query-cost.ts) run
 * as validation rules: Apollo answers a violation with GRAPHQL_VALIDATION_FAILED and HTTP 400,
 * e.g. "Query depth limit of 10 exceeded, found 14.", and `extensions.limit` naming the setting.
 * Armor's own cost rule is not used: it does not multiply lists without a literal `first`, so a
 * cycle of unpaged lists passed it at any depth. Introspection is exempt from depth and cost (the
 * IDE's schema query is 15 levels deep). The token limit is graphql-js's own parser option, which
 * stops lexing at the limit: armor's Apollo plugin for it throws from a hook that Apollo turns into
 * HTTP 500. Its message is reworded the same way.
 */
export function operationLimits({
  limits,
  blockFieldSuggestions,
  costDirectives,
}: OperationLimitsOptions): OperationLimitsSetup {
  const armor = new ApolloArmor({
    maxDepth: {
      n: limits.maxDepth,
      ignoreIntrospection: true,
      flattenFragments: true,
      ...reportAs('maxDepth'),
    },
    // Armor exempts aliases of `__typename` by default (allowList), and 300 of them passed a limit
    // of 15: each is as cheap to refuse as any other, and none is needed twice.
    maxAliases: { n: limits.maxAliases, allowList: [], ...reportAs('maxAliases') },
    costLimit: { enabled: false },
    maxDirectives: { n: limits.maxDirectives, ...reportAs('maxDirectives') },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: blockFieldSuggestions },
  }).protect();

  const cost = queryCostRule({
    maxCost: limits.maxCost,
    defaultListSize: limits.defaultListSize,
    directives: costDirectives,
  });
  return {
    validationRules: [...armor.validationRules, cost],
    parseOptions: { maxTokens: limits.maxTokens },
    plugins: [...armor.plugins, tokenLimitMessage(limits.maxTokens), argumentLengthLimits(limits)],
  };
}

const HINT = 'Split the operation into smaller ones.';

/** Armor's callbacks: report to the validation context (not throw), in our words. */
function reportAs(limit: keyof OperationLimits) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        // Armor prefixes every message with "Syntax Error: ", which these are not.
        const message = `${error.message.replace(/^Syntax Error: /, '')} ${HINT}`;
        context?.reportError(new GraphQLError(message, { extensions: { limit } }));
      },
    ],
  };
}

function tokenLimitMessage(maxTokens: number): ApolloServerPlugin {
  // graphql-js 16 words it "more that N tokens".
  const parserMessage = /Document contains more th(?:at|an) \d+ tokens/;
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (!parserMessage.test(error.message)) continue;
            error.message = `Token limit of ${maxTokens} exceeded: parsing stopped there. ${HINT}`;
            (error.extensions as Record<string, unknown>).limit = 'maxTokens';
          }
        },
      };
    },
  };
}
