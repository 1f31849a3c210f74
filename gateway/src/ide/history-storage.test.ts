import { withoutHistoryHeaders } from './client/history-storage';

describe('withoutHistoryHeaders', () => {
  const run = {
    query: 'query A { __typename }',
    variables: '{}',
    headers: '{"Authorization":"Bearer secret"}',
    operationName: 'A',
  };

  it.each(['queries', 'favorites'])('stores the History panel’s %s without their headers', (name) => {
    const stored = withoutHistoryHeaders(
      `graphiql:${name}`,
      JSON.stringify({ [name]: [run, { ...run, label: 'mine', favorite: true }] }),
    );
    expect(stored).not.toContain('secret');
    const { headers: _headers, ...rest } = run;
    expect(JSON.parse(stored)).toEqual({ [name]: [rest, { ...rest, label: 'mine', favorite: true }] });
  });

  it('leaves every other value as it is', () => {
    const tabs = JSON.stringify({ tabs: [run], activeTabIndex: 0 });
    expect(withoutHistoryHeaders('graphiql:tabState', tabs)).toBe(tabs);
    expect(withoutHistoryHeaders('graphiql:headers', run.headers)).toBe(run.headers);
    expect(withoutHistoryHeaders('other:queries', JSON.stringify({ queries: [run] }))).toContain('secret');
    expect(withoutHistoryHeaders('graphiql:queries', 'not json')).toBe('not json');
    expect(withoutHistoryHeaders('graphiql:queries', '{"queries":null}')).toBe('{"queries":null}');
  });
});
