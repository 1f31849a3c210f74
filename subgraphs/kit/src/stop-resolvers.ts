import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';

/** Fields resolved between two looks at whether the event loop is still turning. */
const FIELDS_PER_LOOK = 1024;
/** How long a request may hold the event loop before it lets the loop turn. */
const SLICE_MS = 20;
/** Fields a request that held the loop too long may start per turn of the loop. */
const FIELDS_PER_TURN = 128;

const PACE = Symbol('pace');

/** A request's share of the event loop, kept on its context. */
interface Pace {
  fieldsToNextLook: number;
  /** When a probe was queued to run on the loop's next turn; 0 once it has run. */
  probeQueuedAt: number;
  /** While set, the request has held the loop too long: its fields wait here for their turn. */
  queue: (() => void)[] | undefined;
  /** Loader batches asked for while fields were queued: dispatched once every queued field has started. */
  batchesAfterQueue: (() => void)[];
  signal: AbortSignal | undefined;
}

/** Each request's pace by its signal, for the kit's loaders, which know the request only by its fork. */
const pacesBySignal = new WeakMap<AbortSignal, Pace>();

interface StoppableContext {
  signal?: AbortSignal;
  [PACE]?: Pace;
}

type Resolver = GraphQLFieldResolver<unknown, StoppableContext | undefined>;

/**
 * Makes every field of the schema refuse to start once its request's signal is aborted: it
 * throws the abort's reason, and graphql-js then resolves nothing beneath that field, so a
 * request whose caller left (or whose time budget ran out) stops within one field's work. A
 * nested cyclic query spends nearly all its time in fields whose values are already loaded (a
 * loader answers repeated keys from its cache), so checks only where the database is queried
 * would not stop it.
 *
 * A signal only aborts from a timer or a socket's 'close', which run when the event loop turns,
 * and such a query never lets it turn: its fields resolve one promise after another, all in the
 * microtask queue, which the loop drains before anything else. Left alone it would hold the
 * process for its whole run, unstoppable and with every other caller waiting (issue 17). So
 * every FIELDS_PER_LOOK fields a request queues a probe for the loop's next turn, and if the
 * probe has not run SLICE_MS later, the request's fields queue and start FIELDS_PER_TURN per turn
 * of the loop (setImmediate), until none are left waiting: between them the timers and sockets
 * get their turn, and other callers theirs. Requests that wait on the database let the loop turn
 * all the time and never queue here, so their loaders batch exactly as before; a request that
 * does queue may split a batch, which is nothing beside the work it is doing.
 *
 * This runs for every field of every request, scalars included, so it is kept to two tests and
 * a counter before the resolver it wraps. Apollo's `willResolveField` plugin hook would do
 * the same and cost more per field (a dispatcher over all plugins, a callback per result), which
 * is why the kit wraps the resolvers itself. Call it after any other wrapping (such as
 * `enforceAuthorization`), so that the check comes first.
 */
export function stopResolversWhenAborted(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      field.resolve = stoppable((field.resolve as Resolver | undefined) ?? defaultFieldResolver);
    }
  }
}

function stoppable(resolve: Resolver): Resolver {
  const startChecked: Resolver = (source, args, context, info) => {
    if (context?.signal?.aborted) throw context.signal.reason;
    return resolve(source, args, context, info);
  };
  return (source, args, context, info) => {
    if (!context) return resolve(source, args, context, info);
    if (context.signal?.aborted) throw context.signal.reason;
    const pace = (context[PACE] ??= newPace(context.signal));
    if (pace.queue || (--pace.fieldsToNextLook <= 0 && heldTheLoopTooLong(pace))) {
      const queue = pace.queue!;
      return new Promise<void>((start) => queue.push(start)).then(() =>
        startChecked(source, args, context, info),
      );
    }
    return resolve(source, args, context, info);
  };
}

function newPace(signal: AbortSignal | undefined): Pace {
  const pace: Pace = {
    fieldsToNextLook: FIELDS_PER_LOOK,
    probeQueuedAt: 0,
    queue: undefined,
    batchesAfterQueue: [],
    signal,
  };
  if (signal) pacesBySignal.set(signal, pace);
  return pace;
}

/**
 * Looks whether the probe queued at the last look has run. If it has not, the loop has not
 * turned since; after SLICE_MS of that, the request's fields start queueing. Waiting only then,
 * rather than every so many fields, leaves requests that wait on the database untouched.
 */
function heldTheLoopTooLong(pace: Pace): boolean {
  pace.fieldsToNextLook = FIELDS_PER_LOOK;
  const now = performance.now();
  if (pace.probeQueuedAt === 0) {
    pace.probeQueuedAt = now;
    setImmediate(() => (pace.probeQueuedAt = 0));
    return false;
  }
  if (now - pace.probeQueuedAt < SLICE_MS) return false;
  pace.queue = [];
  setImmediate(() => startNextFields(pace));
  return true;
}

/**
 * Starts the next FIELDS_PER_TURN queued fields, and the next ones on the loop's next turn.
 * Releasing them all at once would not do: graphql-js completes every field it is given before
 * the loop can turn, and the queue of a large request holds a whole level of its tree (tens of
 * thousands of fields), so each turn would again wait for all of them. Once the request is
 * stopped they are all released together: each refuses at once, and graphql-js answers only
 * when every field it began has ended, which at FIELDS_PER_TURN a turn took seconds on a busy
 * machine.
 */
function startNextFields(pace: Pace): void {
  const queue = pace.queue!;
  if (queue.length === 0) {
    pace.queue = undefined;
    pace.probeQueuedAt = 0;
    for (const dispatch of pace.batchesAfterQueue.splice(0)) dispatch();
    return;
  }
  const released = pace.signal?.aborted ? queue.splice(0) : queue.splice(0, FIELDS_PER_TURN);
  for (const start of released) start();
  setImmediate(() => startNextFields(pace));
}

/**
 * A DataLoader `batchScheduleFn` for the loaders of the request that `signal` belongs to. While
 * that request's fields start FIELDS_PER_TURN per turn of the loop, a loader's batch waits until
 * all of them have started: dispatched per turn, as DataLoader would by default, one `$in` query
 * of a level of the tree would become one per FIELDS_PER_TURN fields. Otherwise it dispatches as
 * DataLoader does by default, once the promises of the current tick have settled.
 */
export function scheduleBatchesOf(signal: AbortSignal | undefined): (dispatch: () => void) => void {
  // Looked at when the batch is due, not when it is asked for: the loads before pacing began
  // belong to the same level of the tree as those of the fields it queued.
  const dispatchWhenNoFieldsWait = (dispatch: () => void) => {
    const pace = signal && pacesBySignal.get(signal);
    if (pace?.queue) pace.batchesAfterQueue.push(dispatch);
    else dispatch();
  };
  return (dispatch) => {
    void Promise.resolve().then(() => process.nextTick(dispatchWhenNoFieldsWait, dispatch));
  };
}
