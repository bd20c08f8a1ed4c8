import type { AnnotatedSlots } from '../../src/dialogue/nlu/corpus.js';
import type { Reading } from '../../src/dialogue/understand/read.js';
import type { Region } from '../../src/tools/region/types.js';

const place = (r: Region) => r.shortName || r.name;

/** A reading in the corpus's annotation terms, for slot F1. */
export function readingSlots(r: Reading): AnnotatedSlots {
  const o: AnnotatedSlots = {};
  const f = r.facts;
  const v = r.values;
  if (f.from) o.from = place(f.from);
  if (f.to) o.to = place(f.to);
  const unplaced = r.places.filter((p) => p.role === 'unknown' && p.region).map((p) => place(p.region!));
  if (unplaced.length) o.places = unplaced;
  for (const k of ['fromScheme', 'toScheme', 'retired', 'enrolledAtDestination', 'stoppedAtOrigin'] as const) if (f[k] !== undefined) (o as Record<string, unknown>)[k] = f[k];
  for (const k of ['died', 'newborn', 'emigrated'] as const) if (f[k]) o[k] = true;
  for (const k of ['acceptedDate', 'infoSheetReceivedDate', 'checkDate', 'byDate', 'startDate', 'endDate', 'workingDays', 'gapMonths', 'base', 'employerRate', 'individualRate', 'ratePercent', 'continuousYears', 'yearsRepaid'] as const)
    if (v[k] !== undefined) (o as Record<string, unknown>)[k] = v[k];
  if (v.aroundTransfer) o.aroundTransfer = true;
  if (r.subject && r.subject !== 'self') o.person = r.subject.relation;
  if (r.dateVague) o.dateVague = true;
  return o;
}
