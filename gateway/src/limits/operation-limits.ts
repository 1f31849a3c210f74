// Limits on the shape of an operation (depth, aliases, cost, directives, tokens), checked while
// parsing and validating, so that an abusive operation is refused before any subgraph is called.
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';
import type { OperationLimits } from '../config';

export interface OperationLimitsOptions {
  limits: OperationLimits;
  /**
   * Mask graphql-js's "Did you mean ...?" suggestions in error messages. They would reveal field
   * names that introspection hides, so the gateway masks them exactly when introspection is off;
   * with introspection on they reveal nothing new and help people in the IDE.
   */
  blockFieldSuggestions: boolean;
}

export interface OperationLimitsSetup {
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
  plugins: ApolloServerPlugin[];
}

/**
 * graphql-armor's depth, alias, cost and directive rules run as validation rules: Apollo answers
 * a violation with GRAPHQL_VALIDATION_FAILED and HTTP 400, e.g. "Query depth limit of 10 exceeded,
 * found 14.", and `extensions.limit` naming the setting. Introspection is exempt from depth and
 * cost (the IDE's schema query is 15 levels deep). The token limit is graphql-js's own parser
 * option, which stops lexing at the limit: armor's Apollo plugin for it throws from a hook that
 * Apollo turns into HTTP 500. Its message is reworded the same way.
 */
export function operationLimits({
  limits,
  blockFieldSuggestions,
}: OperationLimitsOptions): OperationLimitsSetup {
  const armor = new ApolloArmor({
    maxDepth: {
      n: limits.maxDepth,
      ignoreIntrospection: true,
      flattenFragments: true,
      ...reportAs('maxDepth'),
    },
    maxAliases: { n: limits.maxAliases, ...reportAs('maxAliases') },
    costLimit: {
      maxCost: limits.maxCost,
      ignoreIntrospection: true,
      flattenFragments: true,
      ...reportAs('maxCost'),
    },
    maxDirectives: { n: limits.maxDirectives, ...reportAs('maxDirectives') },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: blockFieldSuggestions },
  }).protect();

  return {
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
    plugins: [...armor.plugins, tokenLimitMessage(limits.maxTokens)],
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
        const message = `${error.message.replace(/^Syntax Error: /, '').replace(/^Query Cost/, 'Query cost')} ${HINT}`;
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
