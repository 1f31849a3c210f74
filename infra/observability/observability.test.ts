import { dashboardExpressions, metricNamesIn, readRules } from './metric-names';

describe('the alert rules', () => {
  const rules = readRules();
  const all = rules.groups.flatMap((group) => group.rules);

  it('parse as Prometheus rule groups, each rule complete', () => {
    expect(rules.groups.length).toBeGreaterThan(0);
    for (const group of rules.groups) {
      expect(group.name).toEqual(expect.any(String));
      expect(group.rules.length).toBeGreaterThan(0);
    }
    for (const rule of all) {
      expect(rule.alert).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(rule.expr.trim()).not.toBe('');
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(['page', 'warn']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toEqual(expect.any(String));
      expect(rule.annotations?.description).toEqual(expect.any(String));
      expect(metricNamesIn(rule.expr).length).toBeGreaterThan(0);
    }
    expect(new Set(all.map((rule) => rule.alert)).size).toBe(all.length);
  });

  it('cover error rate, a subgraph down, p95 over budget and a rate-limit surge', () => {
    const reading = (metric: string) =>
      all.filter((rule) => metricNamesIn(rule.expr).some((name) => name.startsWith(metric)));
    expect(reading('hub_request_errors_total').map((rule) => rule.alert)).toContain('HubErrorRateHigh');
    expect(reading('hub_subgraph_calls_total').map((rule) => rule.alert)).toContain('HubSubgraphDown');
    expect(all.find((rule) => rule.alert === 'HubLatencyP95OverBudget')?.expr).toMatch(
      /histogram_quantile\(0\.95,.*hub_request_duration_seconds_bucket/s,
    );
    expect(reading('hub_rate_limit_refusals_total').map((rule) => rule.alert)).toContain('HubRateLimitSurge');
  });
});

describe('the dashboard', () => {
  it('has a PromQL expression with a metric in every target', () => {
    const expressions = dashboardExpressions();
    expect(expressions.length).toBeGreaterThan(10);
    for (const expr of expressions) expect(metricNamesIn(expr).length).toBeGreaterThan(0);
  });

  it('reads metric names only from selectors, not from strings, functions or groupings', () => {
    expect(metricNamesIn('sum by (service) (rate(hub_x_total{code=~"a{b"}[5m])) / count(up{})')).toEqual([
      'hub_x_total',
      'up',
    ]);
  });
});
