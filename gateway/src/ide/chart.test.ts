import {
  CHART_FONT,
  cellNumber,
  chartData,
  chartOption,
  compactNumber,
  EMPTY_LABEL,
  fullNumber,
  labelRotation,
  LIGHT_LOOK,
  numericColumns,
  settleSettings,
  shortLabel,
  type ChartOption,
} from './chart';
import { findLists, resultFileName, toTable } from './table';

const BSMEPA_ORIGINAL = 'Изпълнителна агенция за насърчаване на малките и средните предприятия';

/** A result as AbsorptionByCountry returns it: money as decimal strings, a withheld figure null. */
const absorption = {
  absorption: [
    {
      key: 'BG',
      budget: { amount: '5186352.00', currency: 'EUR' },
      spent: { amount: '1200000.50' },
      rate: '0.2314',
    },
    { key: 'GR', budget: { amount: '900000.00', currency: 'EUR' }, spent: null, rate: null },
    { key: 'RO', budget: { amount: '12.00', currency: 'EUR' }, spent: { amount: '0.00' }, rate: '0.0000' },
  ],
};
const table = toTable(findLists(absorption)[0]!.items);

describe('numericColumns', () => {
  it('takes counts and money amounts (decimal strings) as numbers, and empty cells as gaps', () => {
    expect(table.columns).toEqual(['key', 'budget.amount', 'budget.currency', 'spent.amount', 'rate']);
    expect(numericColumns(table)).toEqual(['budget.amount', 'spent.amount', 'rate']);
  });

  it('leaves out a column with any cell that is not a plain number, or with no figure at all', () => {
    const mixed = toTable([
      { code: 'WG1', count: 3, id: '12', note: null, partnerNumber: 1 },
      { code: 'WG2', count: 0, id: '12a', note: null, partnerNumber: -2.5 },
    ]);
    expect(numericColumns(mixed)).toEqual(['count', 'partnerNumber']);
  });

  it('reads cells as numbers only when the whole cell is one', () => {
    expect(cellNumber('5186352.00')).toBe(5186352);
    expect(cellNumber('-12.50')).toBe(-12.5);
    expect(cellNumber('1e+21')).toBe(1e21);
    expect(cellNumber('')).toBeNull();
    expect(cellNumber('12 EUR')).toBeUndefined();
    expect(cellNumber('0x10')).toBeUndefined();
    expect(cellNumber('true')).toBeUndefined();
  });
});

describe('settleSettings', () => {
  it('offers the first text column as labels and every money amount as figures', () => {
    expect(settleSettings(table)).toEqual({
      label: 'key',
      values: ['budget.amount', 'spent.amount'],
      kind: 'bar',
    });
  });

  it('offers one amount of the lists inside each row, not one series per item', () => {
    const organisations = toTable([
      {
        name: 'A',
        budgets: [{ total: { amount: '10.00' } }],
        claims: [{ amount: { amount: '1.00' } }, { amount: { amount: '2.00' } }],
      },
    ]);
    expect(settleSettings(organisations)).toEqual({
      label: 'name',
      values: ['budgets.0.total.amount'],
      kind: 'bar',
    });
  });

  it('offers the first numeric column when there is no money', () => {
    const counts = toTable([{ workingGroup: { code: 'WG1', title: 'Energy' }, count: 4, rank: 1 }]);
    expect(settleSettings(counts)).toEqual({ label: 'workingGroup.code', values: ['count'], kind: 'bar' });
  });

  it('keeps what was chosen where it fits the table, and drops what no longer does', () => {
    expect(
      settleSettings(table, { label: 'budget.currency', values: ['rate', 'gone'], kind: 'pie' }),
    ).toEqual({
      label: 'budget.currency',
      values: ['rate'],
      kind: 'pie',
    });
    // The label column is not a figure too; a kind from elsewhere falls back to bars.
    expect(settleSettings(table, { label: 'rate', values: ['rate'], kind: 'radar' as never })).toEqual({
      label: 'rate',
      values: ['budget.amount', 'spent.amount'],
      kind: 'bar',
    });
    expect(settleSettings(table, { label: 'gone' })?.label).toBe('key');
  });

  it('gives nothing to draw for a list without figures, or an empty one', () => {
    expect(settleSettings(toTable([{ name: 'A', country: { code: 'BG' } }]))).toBeNull();
    expect(settleSettings(toTable([]))).toBeNull();
  });
});

describe('chartData', () => {
  it('takes the labels and the figures of the chosen columns, a withheld figure as a gap', () => {
    const data = chartData(table, { label: 'key', values: ['budget.amount', 'spent.amount'], kind: 'bar' });
    expect(data).toEqual({
      labels: ['BG', 'GR', 'RO'],
      series: [
        { name: 'budget.amount', values: [5186352, 900000, 12], decimals: 2 },
        { name: 'spent.amount', values: [1200000.5, null, 0], decimals: 2 },
      ],
      omitted: 0,
    });
  });

  it('draws one column in a pie, names empty labels, and stops at the row limit', () => {
    const rows = toTable([
      { name: '', n: 1 },
      { name: 'B', n: 2 },
      { name: 'C', n: 3 },
    ]);
    const data = chartData(rows, { label: 'name', values: ['n', 'n'], kind: 'pie' }, 2);
    expect(data).toEqual({
      labels: [EMPTY_LABEL, 'B'],
      series: [{ name: 'n', values: [1, 2], decimals: 0 }],
      omitted: 1,
    });
  });
});

describe('labels', () => {
  it('cuts long names by characters, Cyrillic included, with an ellipsis', () => {
    expect(shortLabel('BSMEPA')).toBe('BSMEPA');
    expect(shortLabel(BSMEPA_ORIGINAL)).toBe('Изпълнителна аген…');
    expect([...shortLabel(BSMEPA_ORIGINAL)]).toHaveLength(18);
    expect(shortLabel('👩‍🔬👩‍🔬👩‍🔬', 2)).not.toMatch(/[\uD800-\uDBFF]…$/);
  });

  it('turns labels only when they are crowded', () => {
    expect(labelRotation(['BG', 'GR', 'RO', 'SI'])).toBe(0);
    expect(labelRotation(['BG', BSMEPA_ORIGINAL])).toBe(0);
    expect(labelRotation(['BG', 'GR', 'RO', BSMEPA_ORIGINAL])).toBe(40);
    expect(labelRotation(Array.from({ length: 31 }, (_, i) => `C${i}`))).toBe(90);
  });

  it('writes figures short on the axis and whole in the tooltip', () => {
    expect(compactNumber(5186352)).toBe('5.2M');
    expect(compactNumber(0.25)).toBe('0.3');
    expect(fullNumber(5186352, 2)).toBe('5,186,352.00');
    expect(fullNumber(0.2314, 4)).toBe('0.2314');
    expect(fullNumber(null, 2)).toBe('–');
  });
});

describe('chartOption', () => {
  const data = chartData(table, { label: 'key', values: ['budget.amount', 'spent.amount'], kind: 'bar' });
  type Series = {
    type: string;
    name: string;
    data: unknown;
    stack?: string;
    tooltip: { valueFormatter: (v: unknown) => string };
  };
  const seriesOf = (option: ChartOption) => option.series as Series[];

  it('draws bars per figure column over the labels, with a legend when there are several', () => {
    const option = chartOption(data, 'bar', LIGHT_LOOK);
    expect(option.xAxis).toMatchObject({ type: 'category', data: ['BG', 'GR', 'RO'] });
    expect(option.yAxis).toMatchObject({ type: 'value' });
    expect(option.legend).toBeDefined();
    expect(option.tooltip).toMatchObject({ trigger: 'axis' });
    expect(seriesOf(option).map((s) => [s.type, s.name, s.data, s.stack])).toEqual([
      ['bar', 'budget.amount', [5186352, 900000, 12], undefined],
      ['bar', 'spent.amount', [1200000.5, null, 0], undefined],
    ]);
    expect(seriesOf(option)[0]!.tooltip.valueFormatter(5186352)).toBe('5,186,352.00');
    expect(option.textStyle).toMatchObject({ fontFamily: expect.stringContaining('DejaVu Sans') });
    expect(CHART_FONT).not.toContain('"');
    expect(option.backgroundColor).toBe('#ffffff');
  });

  it('stacks, or draws lines, from the same series', () => {
    expect(seriesOf(chartOption(data, 'stacked', LIGHT_LOOK)).map((s) => [s.type, s.stack])).toEqual([
      ['bar', 'total'],
      ['bar', 'total'],
    ]);
    expect(seriesOf(chartOption(data, 'line', LIGHT_LOOK)).map((s) => s.type)).toEqual(['line', 'line']);
  });

  it('has no legend for a single figure, and cuts long axis labels (the tooltip keeps them)', () => {
    const long = chartData(
      toTable([
        { name: BSMEPA_ORIGINAL, n: 1 },
        { name: 'B', n: 2 },
        { name: 'C', n: 3 },
        { name: 'D', n: 4 },
      ]),
      {
        label: 'name',
        values: ['n'],
        kind: 'bar',
      },
    );
    const option = chartOption(long, 'bar', LIGHT_LOOK);
    expect(option.legend).toBeUndefined();
    const axis = option.xAxis as {
      data: string[];
      axisLabel: { rotate: number; formatter: (s: string) => string };
    };
    expect(axis.data[0]).toBe(BSMEPA_ORIGINAL);
    expect(axis.axisLabel.formatter(axis.data[0]!)).toBe('Изпълнителна аген…');
    expect(axis.axisLabel.rotate).toBe(40);
  });

  it('draws a pie of the first figure column, leaving out gaps', () => {
    const option = chartOption(
      chartData(table, { label: 'key', values: ['spent.amount', 'budget.amount'], kind: 'pie' }),
      'pie',
      LIGHT_LOOK,
    );
    expect(option.xAxis).toBeUndefined();
    expect(option.tooltip).toMatchObject({ trigger: 'item' });
    const [pie, ...others] = option.series as {
      type: string;
      name: string;
      data: unknown;
      label: { formatter: (p: object) => string };
    }[];
    expect(others).toEqual([]);
    expect([pie!.type, pie!.name, pie!.data]).toEqual([
      'pie',
      'spent.amount',
      [
        { name: 'BG', value: 1200000.5 },
        { name: 'RO', value: 0 },
      ],
    ]);
    expect(pie!.label.formatter({ name: BSMEPA_ORIGINAL, percent: 12.5 })).toBe('Изпълнителна аген… 12.5%');
  });
});

describe('resultFileName', () => {
  it('names exports after the operation and the list', () => {
    expect(resultFileName('AbsorptionByCountry', 'absorption', 'svg')).toBe(
      'AbsorptionByCountry-absorption.svg',
    );
    expect(resultFileName(null, '', 'png')).toBe('result.png');
  });
});
