/**
 * A keyed batch loader for computed results (the kit's loaders only find entities): every key
 * asked for in one tick goes to `load` in one call, as DataLoader schedules it, and each key is
 * computed once per request. Local because the kit does not re-export DataLoader and this
 * package may not depend on it directly; a candidate for the kit.
 */
export function batchLoader<K, V>(load: (keys: K[]) => Promise<V[]>): { load(key: K): Promise<V> } {
  const cache = new Map<K, Promise<V>>();
  let queue: { key: K; resolve: (value: V) => void; reject: (error: unknown) => void }[] = [];

  const dispatch = () => {
    const batch = queue;
    queue = [];
    load(batch.map((item) => item.key)).then(
      (values) => batch.forEach((item, i) => item.resolve(values[i] as V)),
      (error: unknown) => batch.forEach((item) => item.reject(error)),
    );
  };

  return {
    load(key: K): Promise<V> {
      const cached = cache.get(key);
      if (cached) return cached;
      const promise = new Promise<V>((resolve, reject) => {
        if (queue.length === 0) void Promise.resolve().then(() => process.nextTick(dispatch));
        queue.push({ key, resolve, reject });
      });
      cache.set(key, promise);
      return promise;
    },
  };
}
