import { REQUEST_ABANDONED, REQUEST_TIMEOUT, startDeadline } from './deadline';

const budget = { ms: 20, setting: 'SUBGRAPH_REQUEST_TIMEOUT_MS' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('the signal aborts with REQUEST_TIMEOUT, naming the setting, once the budget is up', async () => {
  const deadline = startDeadline(budget);
  expect(deadline.signal.aborted).toBe(false);
  await sleep(60);
  expect(deadline.signal.aborted).toBe(true);
  expect(deadline.signal.reason).toMatchObject({
    message: expect.stringContaining('ran longer than 20 ms (SUBGRAPH_REQUEST_TIMEOUT_MS)'),
    extensions: { code: REQUEST_TIMEOUT, timeoutMs: 20 },
  });
  deadline.release();
});

test('a caller that hangs up aborts the signal with REQUEST_ABANDONED', () => {
  const deadline = startDeadline(budget);
  deadline.abandon();
  expect(deadline.signal.reason).toMatchObject({ extensions: { code: REQUEST_ABANDONED } });
  deadline.release();
});

test('a released deadline never aborts: its timer is cleared, and a late hang-up is no news', async () => {
  const deadline = startDeadline(budget);
  deadline.release();
  await sleep(60);
  deadline.abandon();
  expect(deadline.signal.aborted).toBe(false);
});

test('without a budget only the caller hanging up aborts', async () => {
  const deadline = startDeadline(undefined);
  await sleep(30);
  expect(deadline.signal.aborted).toBe(false);
  deadline.abandon();
  expect(deadline.signal.aborted).toBe(true);
});
