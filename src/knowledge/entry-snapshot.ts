import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../paths.js';
import type { EntryFile } from './load.js';
import { entryMetaSchema, type KnowledgeEntry } from './schema.js';

/**
 * The validated entries, kept with the built search index (`npm run kb:build`). Parsing and
 * validating 20,000 entry files is most of start-up (YAML, zod, the garbage both leave); when the
 * files, the region codes and the entry schema are exactly what the snapshot was made from,
 * start-up reads the entries from it instead. Files are still read, to compute the hash.
 */

/** Bump when the loader makes different entries from the same files (e.g. how the summary is cut). */
const LOADER_VERSION = 1;

export const ENTRY_SNAPSHOT_FILE = 'entries.json';

/**
 * Hash of what the loaded entries depend on: every file's path (relative to the project) and
 * text in load order, the known region codes, the entry schema (as JSON Schema: fields, types,
 * defaults, patterns) and the loader version.
 */
export function entrySourceHash(files: readonly EntryFile[], regionCodes?: ReadonlySet<string>): string {
  const hash = createHash('sha256');
  hash.update(`${LOADER_VERSION}\u0000${JSON.stringify(z.toJSONSchema(entryMetaSchema, { unrepresentable: 'any', io: 'output' }))}\u0000`);
  hash.update(regionCodes ? [...regionCodes].sort().join(',') : '-');
  for (const file of files) hash.update(`\u0000${relative(projectRoot, file.path)}\u0000`).update(file.text);
  return hash.digest('hex');
}

/** The snapshot's file content. */
export function entrySnapshot(hash: string, entries: readonly KnowledgeEntry[]): string {
  return JSON.stringify({ hash, entries });
}

/** The entries of the snapshot in `dir` when it was made from exactly these sources; otherwise undefined. */
export function readEntrySnapshot(dir: string, hash: string): KnowledgeEntry[] | undefined {
  const path = join(dir, ENTRY_SNAPSHOT_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as { hash?: unknown; entries?: unknown };
    return snapshot.hash === hash && Array.isArray(snapshot.entries) ? (snapshot.entries as KnowledgeEntry[]) : undefined;
  } catch {
    // A damaged snapshot is ignored: the files are parsed as usual.
    return undefined;
  }
}
