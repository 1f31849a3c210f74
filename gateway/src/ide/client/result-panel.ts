/// <reference lib="dom" />
// What the Table and Chart panels share: the active tab's last result, the lists in it, the wide
// side pane, and saving a file from the page.
import { useGraphiQL } from '@graphiql/react';
import { useEffect, useMemo, useRef } from 'react';
import { findLists, type ListInResult } from '../table';

export interface ParsedResult {
  data: unknown;
  errorCount: number;
}

/** The active tab's id, operation name, last result (parsed) and the lists in that result. */
export function useActiveResult() {
  const tabId = useGraphiQL((state) => state.tabs[state.activeTabIndex]?.id ?? '');
  const response = useGraphiQL((state) => state.tabs[state.activeTabIndex]?.response ?? null);
  const operationName = useGraphiQL(
    (state) => state.tabs[state.activeTabIndex]?.operationName ?? state.operationName ?? null,
  );
  const result = useMemo(() => parseResult(response), [response]);
  const lists = useMemo(() => findLists(result?.data), [result]);
  return { tabId, operationName, result, lists };
}

function parseResult(response: string | null | undefined): ParsedResult | null {
  if (!response) return null;
  try {
    const result = JSON.parse(response) as { data?: unknown; errors?: unknown[] };
    if (typeof result !== 'object' || result === null) return null;
    return { data: result.data ?? null, errorCount: Array.isArray(result.errors) ? result.errors.length : 0 };
  } catch {
    return null; // a result still streaming in, or not JSON
  }
}

/** `organisations.nodes (12 rows)` */
export function describeList(list: Pick<ListInResult, 'label' | 'items'>): string {
  const rows = `${list.items.length} row${list.items.length === 1 ? '' : 's'}`;
  return list.label ? `${list.label} (${rows})` : `data (${rows})`;
}

/** "The result has 2 errors (see the response); the table shows the data that came back." */
export function errorsNote(errorCount: number, view: string): string {
  return (
    `The result has ${errorCount} error${errorCount === 1 ? '' : 's'} (see the response); ` +
    `the ${view} shows the data that came back.`
  );
}

/** While a result panel is open, the side pane takes this share of the width (the rest has flex 1). */
const WIDE_PANE_FLEX = '1.3';

/** Widens GraphiQL's side pane while the panel shows, and gives it back its width afterwards. */
export function useWidePane<T extends HTMLElement>() {
  const root = useRef<T>(null);
  useEffect(() => {
    const pane = root.current?.closest<HTMLElement>('.graphiql-plugin');
    if (!pane) return;
    const previous = pane.style.flex;
    if (Number.parseFloat(previous || '1') < Number(WIDE_PANE_FLEX)) pane.style.flex = WIDE_PANE_FLEX;
    return () => {
      pane.style.flex = previous;
    };
  }, []);
  return root;
}

/** Has the browser save `contents` as `name` (a download; nothing leaves the page). */
export function saveFile(name: string, contents: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([contents], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
