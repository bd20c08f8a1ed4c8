/**
 * `npm run eval:nlu`: how well the assistant understands the labelled corpus
 * (knowledge/dialogue/nlu): 5-fold cross-validated intent accuracy of the classifier (each example
 * predicted by a model that never saw it), per label and by the contract's intents, the most
 * frequent confusions, and slot F1 of the situation reader against the annotations.
 */
import { labels, loadCorpus } from '../../src/dialogue/nlu/corpus.js';
import { messageFeatures } from '../../src/dialogue/nlu/intent-classifier.js';
import { loadJourneys } from '../../src/dialogue/journeys/schema.js';
import { compileIntentRules } from '../../src/dialogue/understand/intents.js';
import { compileNormalizeRules } from '../../src/dialogue/understand/normalize.js';
import { loadDialogueRules } from '../../src/dialogue/understand/dialogue-rules.js';
import { createReader } from '../../src/dialogue/understand/read.js';
import { Lexicon, loadLexiconData } from '../../src/retrieval/lexicon.js';
import { loadRegionResolver } from '../../src/tools/region/load-regions.js';
import { crossValidate } from './cross-validate.js';
import { readingSlots } from './reading-slots.js';
import { slotF1 } from './slot-f1.js';

const GATE = { intentAccuracy: 0.93, slotF1: 0.9 };

const started = performance.now();
const corpus = loadCorpus();
const rules = loadDialogueRules();
const regions = loadRegionResolver();
const deps = { normalize: compileNormalizeRules(rules.normalize), regions, lexicon: new Lexicon(loadLexiconData()), cues: compileIntentRules(rules.intents) };
const cv = crossValidate(corpus, (text) => messageFeatures(text, deps));
const intentOf = new Map<string, string>();
for (const j of loadJourneys()) for (const l of j.labels) intentOf.set(l, j.intent);
const contract = (l: string) => intentOf.get(l) ?? l;
const missByContract = cv.misses.filter(([actual, predicted, text]) => {
  const also = corpus.find((e) => e.text === text)?.also;
  return contract(actual) !== contract(predicted) && (!also || contract(also) !== contract(predicted));
}).length;

const read = createReader(regions);
const slots = slotF1(corpus, (e) => readingSlots(read(e.text, { today: e.today })), regions);

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(`NLU evaluation: ${corpus.length} labelled examples, ${labels.length} labels, ${(performance.now() - started) / 1000 | 0} s`);
console.log(`  intent accuracy (5-fold cross-validated)   ${pct(cv.accuracy)}  (${corpus.length - cv.misses.length}/${corpus.length})`);
console.log(`  by the contract's intents                  ${pct(1 - missByContract / corpus.length)}`);
console.log(`  slot F1 (situation reader)                 ${slots.f1.toFixed(3)}  (precision ${slots.precision.toFixed(3)}, recall ${slots.recall.toFixed(3)})`);
console.log('\nPer label (precision / recall):');
for (const l of labels) {
  const s = cv.perLabel.get(l)!;
  console.log(`  ${l.padEnd(18)} ${(s.tp / Math.max(1, s.tp + s.fp)).toFixed(2)} / ${(s.tp / Math.max(1, s.tp + s.fn)).toFixed(2)}`);
}
console.log('\nMost frequent confusions (actual → predicted):');
for (const [pair, n] of [...cv.confusion].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${pair}  ${n}`);
console.log('\nSlots (true positives / false positives / false negatives):');
for (const [slot, s] of [...slots.bySlot].sort((a, b) => b[1].tp + b[1].fn - (a[1].tp + a[1].fn))) console.log(`  ${slot.padEnd(22)} ${s.tp} / ${s.fp} / ${s.fn}`);
if (process.argv.includes('--misses')) {
  console.log('\nIntent misses:');
  for (const [a, p, t] of cv.misses) console.log(`  ${a} → ${p}: ${t}`);
}
const passed = cv.accuracy >= GATE.intentAccuracy && slots.f1 >= GATE.slotF1;
console.log(`\n${passed ? 'TARGETS MET' : 'TARGETS NOT MET'}: intent accuracy ≥ ${pct(GATE.intentAccuracy)}, slot F1 ≥ ${GATE.slotF1}`);
