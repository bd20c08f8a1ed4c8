import type { Scope } from '../knowledge/schema.js';
import type { PlaceRef } from './region-scope.js';

/**
 * Region pre-filtering. Every entry belongs to partitions named after its scope: national
 * entries to one, a province or city rule to the partition of each region code it names. A
 * question about some places is searched only in the national partition and those places'
 * province and city partitions — exactly the entries scopeRelation calls national or own — so
 * a question about one city never ranks the rules of 20,000 entries for other cities.
 */

export const NATIONAL_PARTITION = 'national';

/** Partitions an entry belongs to. */
export function partitionsOfScope(scope: Scope): string[] {
  return scope.level === 'national' ? [NATIONAL_PARTITION] : [...new Set(scope.regions)];
}

/** Partitions to search for a question about these places (sorted, unique). */
export function partitionsForPlaces(places: readonly PlaceRef[]): string[] {
  const names = new Set<string>([NATIONAL_PARTITION]);
  for (const place of places) {
    names.add(place.provinceCode);
    if (place.cityCode) names.add(place.cityCode);
  }
  return [...names].sort();
}

/** Which rows (entry positions) each partition holds, with the union for a set of partitions. */
export class PartitionRows {
  private readonly rowsOf = new Map<string, number[]>();
  private readonly unions = new Map<string, Int32Array>();

  constructor(partitionsOf: readonly (readonly string[])[]) {
    partitionsOf.forEach((names, row) => {
      for (const name of names) {
        let rows = this.rowsOf.get(name);
        if (!rows) this.rowsOf.set(name, (rows = []));
        rows.push(row);
      }
    });
  }

  /** Rows of the given partitions, ascending and unique (remembered for the last few hundred sets). */
  rows(partitions: readonly string[]): Int32Array {
    const key = partitions.join(',');
    let rows = this.unions.get(key);
    if (!rows) {
      const set = new Set<number>();
      for (const name of partitions) for (const row of this.rowsOf.get(name) ?? []) set.add(row);
      rows = Int32Array.from([...set].sort((a, b) => a - b));
      if (this.unions.size >= 512) this.unions.delete(this.unions.keys().next().value!);
      this.unions.set(key, rows);
    }
    return rows;
  }
}
