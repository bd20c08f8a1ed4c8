import { describe, expect, it } from 'vitest';
import { loadRegionResolver } from '../tools/region/load-regions.js';
import { loadEntries } from './load.js';
import { checkTablesAgreeWithEntries, tableEntryDisagreements } from './table-agreement.js';

const regions = loadRegionResolver();
const entries = new Map(loadEntries({ regionName: (code) => regions.byCode(code) }).map((e) => [e.id, e]));

describe('tables and entries agree', () => {
  it('every source row of every table says what its entry says about scope and verification', () => {
    expect(() => checkTablesAgreeWithEntries(entries)).not.toThrow();
  });

  it('finds a table calling a rule official text while its entry is a report, or national while it is a city rule', () => {
    const table = {
      sources: [
        { entryId: 'payout-cannot-transfer-local', scope: 'city', verification: 'original' },
        { entryId: 'balance-employee-to-resident-local', scope: 'city', verification: 'not-found' },
        { entryId: 'no-such-entry', scope: 'national' },
      ],
    };
    expect(tableEntryDisagreements(table, entries)).toEqual([
      'sources[0]: 核实方式 original 与条目 payout-cannot-transfer-local 的 report 不一致',
      'sources[1]: 范围 city 与条目 balance-employee-to-resident-local 的 national 不一致',
      'sources[2]: 引用的知识条目 no-such-entry 不存在',
    ]);
  });
});
