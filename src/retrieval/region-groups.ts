import type { Scope } from '../knowledge/schema.js';
import type { PlaceRef } from './region-scope.js';

/**
 * Region pre-filtering. Every entry belongs to one group named after its scope: all national
 * entries to one, a province or city rule to the group of its set of region codes. A question
 * about some places is searched only in the national group and the groups naming one of its
 * places' province or city codes — exactly the entries scopeRelation calls national or own — so
 * a question about one city never ranks the rules of every other city.
 */

export const NATIONAL_GROUP = 'national';

/** The group of an entry's scope. */
export function groupOfScope(scope: Scope): string {
  return scope.level === 'national' ? NATIONAL_GROUP : [...new Set(scope.regions)].sort().join(',');
}

/** The groups of a knowledge base, with the rows (entry positions) of each. */
export class RegionGroups {
  private readonly groupsWithCode = new Map<string, Set<string>>();
  private readonly rowsOf = new Map<string, number[]>();
  private readonly unions = new Map<string, Int32Array>();

  constructor(groupOfRow: readonly string[]) {
    groupOfRow.forEach((group, row) => {
      let rows = this.rowsOf.get(group);
      if (!rows) this.rowsOf.set(group, (rows = []));
      rows.push(row);
      if (group === NATIONAL_GROUP) return;
      for (const code of group.split(',')) {
        let groups = this.groupsWithCode.get(code);
        if (!groups) this.groupsWithCode.set(code, (groups = new Set()));
        groups.add(group);
      }
    });
  }

  /**
   * Groups to search for a question about these places (sorted): the national one and every
   * group scoped to one of their provinces or cities. A province code in a scope can only equal
   * a province code and a city code only a city code, so one lookup per code is scopeRelation's
   * "own".
   */
  groupsFor(places: readonly PlaceRef[]): string[] {
    const names = new Set<string>([NATIONAL_GROUP]);
    for (const place of places) {
      for (const code of [place.provinceCode, place.cityCode]) {
        if (code) for (const group of this.groupsWithCode.get(code) ?? []) names.add(group);
      }
    }
    return [...names].sort();
  }

  /** Rows of the given groups, ascending (remembered for the last few hundred sets). */
  rows(groups: readonly string[]): Int32Array {
    const key = groups.join('|');
    let rows = this.unions.get(key);
    if (!rows) {
      const list: number[] = [];
      for (const group of groups) list.push(...(this.rowsOf.get(group) ?? []));
      rows = Int32Array.from(list.sort((a, b) => a - b));
      if (this.unions.size >= 512) this.unions.delete(this.unions.keys().next().value!);
      this.unions.set(key, rows);
    }
    return rows;
  }
}
