/**
 * Per-client promise cache: one fetch per object, shared by concurrent callers (the promise is cached,
 * not the value). A failed fetch is forgotten so a later call can try again.
 */
export interface PromiseCache {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** Seeds a value learnt from another answer (e.g. a user found by name is also known by id). */
  prime<T>(key: string, value: T): void;
  deleteWhere(test: (key: string) => boolean): void;
}

export function createPromiseCache(): PromiseCache {
  const entries = new Map<string, Promise<unknown>>();
  return {
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const hit = entries.get(key);
      if (hit !== undefined) return hit as Promise<T>;
      const promise = load();
      entries.set(key, promise);
      promise.catch(() => {
        if (entries.get(key) === promise) entries.delete(key);
      });
      return promise;
    },
    prime<T>(key: string, value: T): void {
      if (!entries.has(key)) entries.set(key, Promise.resolve(value));
    },
    deleteWhere(test: (key: string) => boolean): void {
      for (const key of [...entries.keys()]) if (test(key)) entries.delete(key);
    },
  };
}
