// The quick variant of `npm run reliability`: every scenario for seconds against a hub of its own
// (its own database process, which it kills), asserting the counters other tools read are 0 and
// that each scenario really exercised the hub: requests served, a kill that happened, writes
// acknowledged on both sides of it, every versioned type raced, hostile cases sent by the hundred.
import { defaultOptions, runReliability, type ReliabilityResults } from '../../bench/reliability/run';

jest.setTimeout(240_000);

let results: ReliabilityResults;
const lines: string[] = [];

beforeAll(async () => {
  // The hub's processes print their lines (the gateway one per refused subgraph call, hundreds
  // while a subgraph is dead): kept apart, and only their last ones shown with the figures.
  const children: string[] = [];
  const print = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    children.push(args.map(String).join(' '));
  });
  try {
    results = await runReliability({
      ...defaultOptions(true),
      childLogLevel: 'silent',
      log: (line) => lines.push(line),
    });
  } finally {
    print.mockRestore();
    console.log(
      `reliability (quick): ${JSON.stringify(results?.seconds)} s\n${lines.join('\n')}\n` +
        `last lines of the hub's processes (${children.length} in all):\n${children.slice(-20).join('\n')}`,
    );
  }
});

test('the counters are 0: no acknowledged write lost, no change unaudited, no internal error, no update lost', () => {
  expect({
    lostWrites: results.lostWrites,
    unauditedChanges: results.unauditedChanges,
    internalErrors: results.internalErrors,
    lostUpdates: results.lostUpdates,
  }).toEqual({ lostWrites: 0, unauditedChanges: 0, internalErrors: 0, lostUpdates: 0 });
  // Findings are printed with the input and the answer, for whoever has to fix them.
  expect(results.hostile?.findings).toEqual([]);
});

test('the soak served mixed reads without an error, and memory was read for every process', () => {
  const soak = results.soak!;
  expect(soak.requests).toBeGreaterThan(0);
  expect(soak.operations.length).toBeGreaterThanOrEqual(3);
  expect(soak.errors).toBe(0);
  for (const window of soak.windows) expect(Object.values(window.rssMb).every((mb) => mb! > 0)).toBe(true);
});

test('a killed subgraph: the gateway answers every request, queries not needing it all succeed, it recovers', () => {
  const kill = results.subgraphKill!;
  expect(kill.killed).toBe(true);
  expect(kill.affectedDuringOutage).toBeGreaterThan(0);
  expect(kill.unaffectedDuringOutage).toBeGreaterThan(0);
  expect(kill.availabilityPercent).toBe(100);
  expect(kill.unaffectedSuccessPercent).toBe(100);
  expect(kill.timeToRecoverMs).not.toBeNull();
});

test('the database killed under writes: writes acknowledged before and after, none lost, all audited', () => {
  const kill = results.databaseKill!;
  expect(kill.killed).toBe(true);
  expect(kill.acknowledgedBeforeKill).toBeGreaterThanOrEqual(defaultOptions(true).databaseKill.killAfter);
  expect(kill.acknowledgedAfterRestart).toBeGreaterThan(0);
  expect(kill.lostWrites).toBe(0);
  // A change whose entry is still pending is recoverable (the reconciler settles it): not counted.
  expect({ unaudited: kill.unauditedChanges, unproven: kill.unprovenEntries }).toEqual({
    unaudited: 0,
    unproven: 0,
  });
  expect(kill.timeToRecoverMs).not.toBeNull();
});

test('concurrent conflicting updates: every versioned type raced, exactly one winner per version', () => {
  const c = results.conflicts!;
  expect(c.typesFound).toBeGreaterThanOrEqual(15);
  expect(c.byType.filter((t) => t.skipped)).toEqual([]);
  expect(c.attempts).toBe(c.typesExercised * c.options.concurrency * c.options.rounds);
  expect(c.roundsWithoutOneWinner).toBe(0);
  expect(c.winners).toBe(c.typesExercised * c.options.rounds);
});

test('hostile input: hundreds of generated cases over every mutation and query family, nothing changed', () => {
  const h = results.hostile!;
  expect(h.families).toBeGreaterThanOrEqual(100);
  expect(h.cases).toBe(h.families * h.options.casesPerFamily);
  expect(h.recordsChanged).toBe(0);
  expect(h.changedExamples).toEqual([]);
});

test('forged tokens and identities under load: all refused, nothing written, the hub serving meanwhile', () => {
  const f = results.forged!;
  expect(f.kinds).toBeGreaterThanOrEqual(15);
  expect(Object.values(f.byKind).every((k) => k.sent > 0)).toBe(true);
  expect(f.accepted).toBe(0);
  expect(f.recordsCreated).toBe(0);
  expect(f.controlSucceeded).toBeGreaterThan(0);
  expect(f.controlSucceeded).toBe(f.controlSent);
});
