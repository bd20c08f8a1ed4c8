import { intents, type Intent } from '../types.js';
import type { IntentRules } from './dialogue-rules.js';
import { WordListIndex } from './patterns.js';

/** Word conditions are ids of lists in the shared WordListIndex. */
interface CompiledCue {
  words?: number;
  regex?: RegExp;
  all?: number[];
  unless?: number;
  minPlaces?: number;
  weight: number;
}

export interface CompiledIntentRules {
  index: WordListIndex;
  cues: ReadonlyArray<readonly [Intent, readonly CompiledCue[]]>;
  rank: ReadonlyMap<Intent, number>;
  scoring: IntentRules['scoring'];
}

/** Precompiles knowledge/dialogue/intents.yaml (once, at load). */
export function compileIntentRules(rules: IntentRules): CompiledIntentRules {
  const index = new WordListIndex();
  const cues = intents.map((intent) => {
    const compiled = (rules.intents[intent] ?? []).map((cue): CompiledCue => {
      const out: CompiledCue = { weight: cue.weight };
      if (cue.words) out.words = index.add(cue.words);
      if (cue.regex) out.regex = new RegExp(cue.regex);
      if (cue.all) out.all = cue.all.map((group) => index.add(group));
      if (cue.unless) out.unless = index.add(cue.unless);
      if (cue.minPlaces !== undefined) out.minPlaces = cue.minPlaces;
      return out;
    });
    return [intent, compiled] as const;
  });
  return { index, cues, rank: new Map(rules.priority.map((intent, i) => [intent, i])), scoring: rules.scoring };
}

function cueMatches(cue: CompiledCue, text: string, hits: Set<number>, placeCount: number): boolean {
  if (cue.minPlaces !== undefined && placeCount < cue.minPlaces) return false;
  if (cue.words !== undefined && !hits.has(cue.words)) return false;
  if (cue.all && !cue.all.every((group) => hits.has(group))) return false;
  if (cue.unless !== undefined && hits.has(cue.unless)) return false;
  if (cue.regex && !cue.regex.test(text)) return false;
  return true;
}

/** Sum of the weights of each intent's matching cues (intents with no match are left out). */
export function scoreIntents(text: string, placeCount: number, rules: CompiledIntentRules): Map<Intent, number> {
  const scores = new Map<Intent, number>();
  const hits = rules.index.scan(text);
  for (const [intent, cues] of rules.cues) {
    let score = 0;
    for (const cue of cues) if (cueMatches(cue, text, hits, placeCount)) score += cue.weight;
    score = Math.min(score, rules.scoring.caps[intent] ?? Infinity);
    if (score > 0) scores.set(intent, score);
  }
  return scores;
}

export interface IntentFeatures {
  /** Places the message names (not counting rejected ones). */
  placeCount: number;
  /** The message gave a slot value, a place or a yes/no: it can be an answer to the bot. */
  answersSomething: boolean;
  /** The intent of the ongoing conversation, if any. */
  currentIntent?: Intent;
}

export interface IntentResult {
  intent: Intent;
  confidence: number;
  scores: Map<Intent, number>;
}

/**
 * Picks the intent: the best score wins, ties go by the priority list. A short message with no
 * strong cue inside a conversation ("职工", "是的", "杭州", "已经退休了") keeps the conversation's
 * intent. Nothing matched and no conversation: out_of_scope with a low confidence.
 */
export function classifyIntent(text: string, features: IntentFeatures, rules: CompiledIntentRules): IntentResult {
  const scores = scoreIntents(text, features.placeCount, rules);
  let best: Intent | undefined;
  let bestScore = 0;
  for (const [intent, score] of scores) {
    if (score > bestScore || (score === bestScore && best !== undefined && rules.rank.get(intent)! < rules.rank.get(best)!)) {
      best = intent;
      bestScore = score;
    }
  }
  const { scoring } = rules;
  const toConfidence = (score: number) => Math.round((score / (score + scoring.halfScore)) * 100) / 100;

  const current = features.currentIntent;
  const isShort = [...text].length <= scoring.answerMaxLength;
  if (current && (bestScore < scoring.strongScore || best === current) && (isShort || features.answersSomething)) {
    const keep = features.answersSomething ? scoring.continuationConfidence : scoring.continuationConfidenceWeak;
    return { intent: current, confidence: best === current ? Math.max(keep, toConfidence(bestScore)) : keep, scores };
  }
  if (!best) return { intent: 'out_of_scope', confidence: scoring.fallbackConfidence, scores };
  return { intent: best, confidence: toConfidence(bestScore), scores };
}
