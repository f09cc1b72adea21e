/**
 * A property lookup keyed by user text (an environment, flag or actor name): own properties only, so that a name
 * such as `constructor` or `toString` never resolves to something inherited from Object.prototype.
 */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
