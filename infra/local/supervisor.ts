// Keeps one of `npm start`'s processes running: when it stops without being asked, it is started
// again after a pause that doubles with each crash, and the hub's log says so. A process that
// keeps crashing is not restarted forever: after too many crashes within a window the supervisor
// gives up, and the hub stops with a message that says which process and why.

/** A started process, as the supervisor sees it. */
export interface Supervised {
  pid?: number;
  /** Resolves, with how it ended (`SIGKILL`, `exit code 1`...), when it stops. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

export interface RestartPolicy {
  /** The crash that reaches this count within `windowMs` is not restarted. Default 5. */
  maxCrashes: number;
  /** Default 60000 ms. */
  windowMs: number;
  /** The pause before the first restart, doubled for each crash in the window. Default 250 ms. */
  firstDelayMs: number;
  /** The longest pause. Default 8000 ms. */
  maxDelayMs: number;
}

// A first restart at once-ish: a killed subgraph is back in the time its start takes (a few
// seconds under tsx). Five crashes in a minute is a process that cannot run, not an accident.
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  maxCrashes: 5,
  windowMs: 60_000,
  firstDelayMs: 250,
  maxDelayMs: 8_000,
};

export interface Supervisor {
  /** The process running now (or the last one, while it is restarted). */
  current(): Supervised;
  /** Stops supervising and stops the process; a restart under way is stopped when it completes. */
  stop(): Promise<void>;
}

export function supervise(options: {
  name: string;
  first: Supervised;
  /** Starts it again; resolves once it works (ready). A rejection counts as one more crash. */
  restart: () => Promise<Supervised>;
  log: (line: string) => void;
  /** Called once, when the crashes exceed the policy; the supervisor then does nothing more. */
  giveUp: (message: string) => void;
  policy?: Partial<RestartPolicy>;
}): Supervisor {
  const policy = { ...DEFAULT_RESTART_POLICY, ...options.policy };
  const { name, log } = options;
  let current = options.first;
  let stopped = false;
  const crashes: number[] = [];

  const loop = async (): Promise<void> => {
    for (;;) {
      const reason = await current.exited;
      if (stopped) return;
      const now = Date.now();
      crashes.push(now);
      while (crashes[0]! <= now - policy.windowMs) crashes.shift();
      const window = `${Math.round(policy.windowMs / 1000)} s`;
      if (crashes.length >= policy.maxCrashes) {
        options.giveUp(
          `${name} stopped unexpectedly ${crashes.length} times within ${window} (last: ${reason}); ` +
            'not restarting it again: see its log above for why',
        );
        return;
      }
      const delay = Math.min(policy.firstDelayMs * 2 ** (crashes.length - 1), policy.maxDelayMs);
      log(
        `${name} stopped unexpectedly (${reason}); restarting it in ${delay} ms ` +
          `(crash ${crashes.length} within ${window}; the hub gives up at ${policy.maxCrashes})`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (stopped) return;
      const started = Date.now();
      try {
        const next = await options.restart();
        if (stopped) {
          await next.stop();
          return;
        }
        current = next;
        log(
          `${name} is back${next.pid ? ` (pid ${next.pid})` : ''}, ${Date.now() - started} ms after its restart`,
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        current = { exited: Promise.resolve(`its restart failed: ${message}`), stop: async () => {} };
      }
    }
  };
  void loop();

  return {
    current: () => current,
    async stop() {
      stopped = true;
      await current.stop();
    },
  };
}
