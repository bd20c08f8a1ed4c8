import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../services.js';
import { ENTRY_SNAPSHOT_FILE, entrySnapshot, entrySourceHash, readEntrySnapshot } from './entry-snapshot.js';
import { parseEntryFiles, readEntryFiles } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'entry-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('entry snapshot of the built index', () => {
  it('gives start-up exactly the entries parsing the files gives, when the files are unchanged', () => {
    const parsed = loadKnowledgeBase();
    expect(parsed.entriesFrom).toBe('files');
    writeFileSync(join(dir, ENTRY_SNAPSHOT_FILE), entrySnapshot(parsed.entrySourceHash, parsed.entries));
    const fromSnapshot = loadKnowledgeBase({ snapshotDir: dir });
    expect(fromSnapshot.entriesFrom).toBe('snapshot');
    expect(fromSnapshot.entries).toEqual(parsed.entries);
  });

  it('is not used once any entry file, or the region codes, differ from what it was made of', () => {
    const files = readEntryFiles();
    const codes = new Set(['320000', '320100']);
    const hash = entrySourceHash(files, codes);
    writeFileSync(join(dir, ENTRY_SNAPSHOT_FILE), entrySnapshot(hash, parseEntryFiles(files.slice(0, 3))));
    expect(readEntrySnapshot(dir, hash)).toHaveLength(3);
    const edited = files.map((f, i) => (i === 10 ? { ...f, text: f.text.replace('。', '，') } : f));
    expect(readEntrySnapshot(dir, entrySourceHash(edited, codes))).toBeUndefined();
    expect(readEntrySnapshot(dir, entrySourceHash(files, new Set(['320000'])))).toBeUndefined();
    expect(readEntrySnapshot(dir, entrySourceHash(files.slice(1), codes))).toBeUndefined();
  });

  it('is ignored when damaged: the files are parsed as usual', () => {
    writeFileSync(join(dir, ENTRY_SNAPSHOT_FILE), '{"hash":');
    expect(readEntrySnapshot(dir, 'anything')).toBeUndefined();
    expect(loadKnowledgeBase({ snapshotDir: dir }).entriesFrom).toBe('files');
  });
});
