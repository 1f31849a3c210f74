// Turns a GraphQL result into a table and the table into CSV. Pure functions, shared by the IDE's
// Table panel (bundled for the browser) and the tests.
//
// The choices, where analysts' spreadsheets and GraphQL results disagree:
// - rows: the items of one list of the result (by default the first one met, depth first in field
//   order: `organisations`, or `organisations.nodes` of a connection);
// - nested objects become dotted columns: `country.name`;
// - lists of scalars are joined into one cell with "; ": `WG1; WG3`;
// - lists of objects become indexed columns, counting from 0 like GraphQL error paths:
//   `budgets.0.total.amount`, `budgets.1.total.amount`; a list that is empty in every row leaves
//   one empty column under its own name;
// - null and missing values are empty cells; numbers and booleans are written as JSON writes them;
// - CSV follows RFC 4180 (comma, CRLF, quotes doubled, a cell quoted when it holds a comma, a quote
//   or a line break) and starts with a UTF-8 byte order mark so that spreadsheets read it as UTF-8;
// - formula injection: a cell that starts with = + - @, a tab or a carriage return is prefixed with
//   a single quote (OWASP's advice), unless the whole cell is a plain number such as -12.50, which
//   no spreadsheet runs as a formula. The HTML table shows the values unchanged.

/** A list found in a result: where it is and how many items it has. */
export interface ListInResult {
  /** Field names (and indexes) from `data` down to the list, e.g. `['organisations', 'nodes']`. */
  path: (string | number)[];
  /** The path as one string, `organisations.nodes`; `data` itself is the empty string. */
  label: string;
  items: unknown[];
}

export interface Table {
  columns: string[];
  /** One array of cells per row, in the order of `columns`; every cell is a string. */
  rows: string[][];
}

const LIST_SEPARATOR = '; ';

/**
 * Every list of `data` that is not inside another list, depth first in field order. A result
 * with no list at all (`organisation(id: ...)`) gives its whole `data` as a list of one item.
 */
export function findLists(data: unknown): ListInResult[] {
  const found: ListInResult[] = [];
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (Array.isArray(value)) {
      found.push({ path, label: path.join('.'), items: value });
      return;
    }
    if (isObject(value)) for (const [key, child] of Object.entries(value)) visit(child, [...path, key]);
  };
  visit(data, []);
  if (found.length === 0 && isObject(data)) found.push({ path: [], label: '', items: [data] });
  return found;
}

/**
 * One row's cells by column name, in field order. `prefix` names the value itself (`value` for a
 * scalar row).
 */
export function flatten(value: unknown, prefix = ''): [string, string][] {
  const cells: [string, string][] = [];
  const at = (key: string) => (prefix === '' ? key : `${prefix}.${key}`);
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix !== '') cells.push([prefix, '']);
    for (const [key, child] of entries) cells.push(...flatten(child, at(key)));
  } else if (Array.isArray(value)) {
    if (value.length === 0 || value.every((item) => !isObject(item) && !Array.isArray(item))) {
      cells.push([prefix || 'value', value.map(scalarCell).join(LIST_SEPARATOR)]);
    } else {
      value.forEach((item, index) => cells.push(...flatten(item, at(String(index)))));
    }
  } else {
    cells.push([prefix || 'value', scalarCell(value)]);
  }
  return cells;
}

/**
 * The table of a list of rows. Columns keep the order of the fields; a column that first shows up
 * in a later row (the second budget of one organisation) goes right after its neighbour in that
 * row. A column left empty in every row is dropped when deeper columns under its name exist (the
 * empty `budgets` of an organisation without budgets, beside `budgets.0.total.amount`).
 */
export function toTable(items: readonly unknown[]): Table {
  const columns: string[] = [];
  const known = new Set<string>();
  const flatRows = items.map((item) => {
    const cells = flatten(item);
    let previous: string | undefined;
    for (const [column] of cells) {
      if (!known.has(column)) {
        const after = previous === undefined ? -1 : columns.indexOf(previous);
        columns.splice(after + 1, 0, column);
        known.add(column);
      }
      previous = column;
    }
    return new Map(cells);
  });
  const kept = columns.filter(
    (column) =>
      flatRows.some((row) => (row.get(column) ?? '') !== '') ||
      !columns.some((other) => other.startsWith(`${column}.`)),
  );
  return { columns: kept, rows: flatRows.map((row) => kept.map((column) => row.get(column) ?? '')) };
}

/** The byte order mark that makes spreadsheets read a CSV file as UTF-8. */
export const UTF8_BOM = '\uFEFF';

/** RFC 4180 CSV of a table: header row, then one record per row, each ended by CRLF; BOM first. */
export function toCsv(table: Table, options: { bom?: boolean } = {}): string {
  const record = (cells: readonly string[]) => cells.map(csvCell).join(',') + '\r\n';
  return (options.bom === false ? '' : UTF8_BOM) + [table.columns, ...table.rows].map(record).join('');
}

/** One CSV field: defused against formula injection, then quoted if it must be. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !isPlainNumber(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Whether a cell holds a plain number (`12`, `-12.50`, `1e+21`), as JSON or money amounts write them. */
export function isPlainNumber(cell: string): boolean {
  return PLAIN_NUMBER.test(cell);
}

/** Parses RFC 4180 CSV (a leading BOM is skipped); the inverse of `toCsv`, for tests and tools. */
export function parseCsv(text: string): string[][] {
  const input = text.startsWith(UTF8_BOM) ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    record.push(field);
    field = '';
  };
  while (i < input.length) {
    const char = input[i]!;
    if (quoted) {
      if (char === '"' && input[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else field += char;
      i += 1;
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === ',') endField();
    else if (char === '\r' && input[i + 1] === '\n') {
      endField();
      records.push(record);
      record = [];
      i += 1;
    } else if (char === '\n') {
      endField();
      records.push(record);
      record = [];
    } else field += char;
    i += 1;
  }
  if (quoted) throw new Error('CSV ends inside a quoted field');
  if (field !== '' || record.length > 0) {
    endField();
    records.push(record);
  }
  return records;
}

/** A file name for the CSV of a list: `PartnerOrganisations-organisations.csv`. */
export function csvFileName(operationName: string | null | undefined, list: string): string {
  return resultFileName(operationName, list, 'csv');
}

/** A file name for what is saved of a list: `AbsorptionByCountry-absorption.svg`. */
export function resultFileName(
  operationName: string | null | undefined,
  list: string,
  extension: string,
): string {
  const part = (text: string) => text.replace(/[^\p{L}\p{N}_.-]+/gu, '_').replace(/^_+|_+$/g, '');
  const name = [part(operationName ?? ''), part(list)].filter(Boolean).join('-');
  return `${name || 'result'}.${extension}`;
}

function scalarCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
