/// <reference lib="dom" />
// The IDE's browser storage: localStorage under `graphiql:`, as GraphiQL's default, except that the
// History panel's runs are stored without their request headers. GraphiQL keeps each run with the
// headers it was sent with, whether or not "Persist headers" is on (only the tabs leave them out),
// so an `Authorization: Bearer …` token would stay behind in the browser. Within a session the
// panel still has the headers (it keeps its runs in memory too); after a reload they are gone, as
// the headers editor's are.
import type { Storage } from '@graphiql/toolkit';

const NAMESPACE = 'graphiql:';
/** Where the History panel keeps its runs and favourites: `{"queries": [{query, headers, …}]}`. */
const HISTORY_KEYS = ['queries', 'favorites'];

/** `value` as it is to be stored under `key`: a history list loses its items' `headers`. */
export function withoutHistoryHeaders(key: string, value: string): string {
  const name = key.startsWith(NAMESPACE) ? key.slice(NAMESPACE.length) : '';
  if (!HISTORY_KEYS.includes(name)) return value;
  let stored: unknown;
  try {
    stored = JSON.parse(value);
  } catch {
    return value;
  }
  const items = (stored as Record<string, unknown> | null)?.[name];
  if (!Array.isArray(items)) return value;
  return JSON.stringify({
    ...(stored as Record<string, unknown>),
    [name]: items.map((item: unknown) => {
      if (item === null || typeof item !== 'object') return item;
      const { headers: _headers, ...rest } = item as Record<string, unknown>;
      return rest;
    }),
  });
}

/** The browser's localStorage for GraphiQL's `storage` prop, with history kept without headers. */
export function ideStorage(): Storage {
  const ownKeys = () =>
    Array.from({ length: localStorage.length }, (_, index) => localStorage.key(index)).filter(
      (key): key is string => key?.startsWith(NAMESPACE) ?? false,
    );
  return {
    getItem: (key) => localStorage.getItem(key),
    setItem: (key, value) => localStorage.setItem(key, withoutHistoryHeaders(key, value)),
    removeItem: (key) => localStorage.removeItem(key),
    get length() {
      return ownKeys().length;
    },
    clear() {
      for (const key of ownKeys()) localStorage.removeItem(key);
    },
  };
}
