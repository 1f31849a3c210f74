// graphql-js answers a misspelt name with the names it resembles ("Did you mean ...?"). With
// introspection off, those would let a caller map the schema by guessing: field names, but also
// types, arguments, input fields and enum values, in validation errors and in the errors of
// variable values coerced at execution. graphql-armor's blockFieldSuggestion catches only the
// plain `Did you mean "x"?` form: its pattern misses `Did you mean the enum value "X"?` and
// `Did you mean to use an inline fragment on "T"?`.
import type { ApolloServerPlugin } from '@apollo/server';

// graphql-js's didYouMean(): " Did you mean " + optional words + quoted names + "?". Names
// cannot hold "?", so the suggestion ends at the first one.
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** The message without its suggestions; unchanged when it has none. */
export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

/**
 * Removes every suggestion from the errors of a request, whatever stage raised them (parsing,
 * validation, variable coercion, execution), before they are formatted. List it before
 * graphql-armor's plugins, so that armor's own masking finds nothing left to half-mask.
 */
export function suggestionMasking(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) error.message = withoutSuggestions(error.message);
        },
      };
    },
  };
}
