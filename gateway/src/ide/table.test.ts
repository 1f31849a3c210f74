import { csvCell, csvFileName, findLists, flatten, parseCsv, toCsv, toTable, UTF8_BOM } from './table';

const BSMEPA_ORIGINAL = 'Изпълнителна агенция за насърчаване на малките и средните предприятия';

describe('findLists', () => {
  it('finds the lists not inside other lists, depth first in field order', () => {
    const data = {
      project: { id: 'p', workPackages: [{ code: 'WP0' }] },
      organisations: { nodes: [{ name: 'A', budgets: [{ id: 'b' }] }], totalCount: 1 },
      news: [],
    };
    expect(findLists(data).map((list) => [list.label, list.items.length])).toEqual([
      ['project.workPackages', 1],
      ['organisations.nodes', 1],
      ['news', 0],
    ]);
  });

  it('offers a result without lists as one row, and nothing for no data', () => {
    expect(findLists({ organisation: { name: 'A' } })).toEqual([
      { path: [], label: '', items: [{ organisation: { name: 'A' } }] },
    ]);
    expect(findLists(null)).toEqual([]);
    expect(findLists(undefined)).toEqual([]);
  });
});

describe('flatten', () => {
  it('writes nested objects as dotted columns and scalars as JSON writes them', () => {
    expect(
      flatten({
        name: 'BSMEPA',
        employees: 12,
        active: true,
        acronym: null,
        country: { code: 'BG', programme: { status: 'EU_MEMBER' } },
      }),
    ).toEqual([
      ['name', 'BSMEPA'],
      ['employees', '12'],
      ['active', 'true'],
      ['acronym', ''],
      ['country.code', 'BG'],
      ['country.programme.status', 'EU_MEMBER'],
    ]);
  });

  it('joins lists of scalars and indexes lists of objects from 0', () => {
    expect(
      flatten({
        tags: ['a', 'b', null, 3],
        budgets: [{ total: { amount: '1.00' } }, { total: { amount: '2.00' } }],
        none: [],
        matrix: [[1, 2], [3]],
      }),
    ).toEqual([
      ['tags', 'a; b; ; 3'],
      ['budgets.0.total.amount', '1.00'],
      ['budgets.1.total.amount', '2.00'],
      ['none', ''],
      ['matrix.0', '1; 2'],
      ['matrix.1', '3'],
    ]);
  });

  it('names a scalar row "value"', () => {
    expect(flatten('x')).toEqual([['value', 'x']]);
    expect(flatten(['x', 'y'])).toEqual([['value', 'x; y']]);
  });
});

describe('toTable', () => {
  it('puts a column first seen in a later row beside its neighbours', () => {
    const table = toTable([
      { name: 'A', budgets: [{ amount: '1' }], groups: ['WG1'] },
      { name: 'B', budgets: [{ amount: '2' }, { amount: '3' }], groups: [] },
    ]);
    expect(table).toEqual({
      columns: ['name', 'budgets.0.amount', 'budgets.1.amount', 'groups'],
      rows: [
        ['A', '1', '', 'WG1'],
        ['B', '2', '3', ''],
      ],
    });
  });

  it('drops the empty column of an empty list or a null object when deeper columns exist', () => {
    const table = toTable([
      { name: 'A', budgets: [], lead: null },
      { name: 'B', budgets: [{ amount: '2' }], lead: { name: 'L' } },
    ]);
    expect(table.columns).toEqual(['name', 'budgets.0.amount', 'lead.name']);
    expect(table.rows).toEqual([
      ['A', '', ''],
      ['B', '2', 'L'],
    ]);
  });

  it('keeps the column of a list that is empty in every row', () => {
    expect(toTable([{ name: 'A', budgets: [] }])).toEqual({
      columns: ['name', 'budgets'],
      rows: [['A', '']],
    });
  });

  it('makes an empty table of an empty list', () => {
    expect(toTable([])).toEqual({ columns: [], rows: [] });
  });
});

describe('toCsv', () => {
  it('writes RFC 4180: CRLF records, quotes only where needed, quotes doubled, BOM first', () => {
    const csv = toCsv({
      columns: ['name', 'note'],
      rows: [
        ['plain', 'a, b'],
        ['say "hi"', 'line 1\nline 2'],
        ['', 'cr\rhere'],
      ],
    });
    expect(csv).toBe(
      UTF8_BOM +
        'name,note\r\n' +
        'plain,"a, b"\r\n' +
        '"say ""hi""","line 1\nline 2"\r\n' +
        ',"cr\rhere"\r\n',
    );
    expect(toCsv({ columns: ['a'], rows: [] }, { bom: false })).toBe('a\r\n');
  });

  it('defuses cells that a spreadsheet would run as formulas, but not plain numbers', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('-12.50')).toBe('-12.50');
    expect(csvCell('+3')).toBe('+3');
    expect(csvCell('-1e5')).toBe('-1e5');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('round-trips Cyrillic names, quotes, commas and line breaks through UTF-8 bytes', () => {
    const table = toTable([
      { name: 'Bulgarian SME Promotion Agency', nameOriginal: BSMEPA_ORIGINAL, country: { code: 'BG' } },
      { name: 'Pannon, "Business" Network', nameOriginal: 'Pannon Gazdasági\r\nHálózat', country: null },
      { name: 'Agenția', nameOriginal: 'Ελληνικά, ünïcödé — 中文', country: { code: 'RO' } },
    ]);
    const bytes = Buffer.from(toCsv(table), 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const parsed = parseCsv(new TextDecoder('utf-8').decode(bytes));
    expect(parsed).toEqual([table.columns, ...table.rows]);
    expect(parsed[1]).toEqual(['Bulgarian SME Promotion Agency', BSMEPA_ORIGINAL, 'BG']);
  });
});

describe('parseCsv', () => {
  it('reads what other tools write: LF endings, no final line break, empty fields', () => {
    expect(parseCsv('a,b\n1,\n,"x\ny"')).toEqual([
      ['a', 'b'],
      ['1', ''],
      ['', 'x\ny'],
    ]);
  });

  it('refuses an unterminated quoted field', () => {
    expect(() => parseCsv('a,"b')).toThrow('CSV ends inside a quoted field');
  });
});

describe('csvFileName', () => {
  it('names the file after the operation and the list', () => {
    expect(csvFileName('PartnerOrganisations', 'organisations.nodes')).toBe(
      'PartnerOrganisations-organisations.nodes.csv',
    );
    expect(csvFileName(null, '')).toBe('result.csv');
    expect(csvFileName('Q', 'a/b c')).toBe('Q-a_b_c.csv');
  });
});
