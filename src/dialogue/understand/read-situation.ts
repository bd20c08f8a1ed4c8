import type { LocatedPlace } from './places.js';
import type { CompiledSituationRules, Relation, Scheme } from './situation-rules.js';

const CLAUSE_BREAK = /[,。?!;\n]/;

/** Offsets of the clause (between punctuation) around `index`. */
function clauseAround(text: string, index: number): [number, number] {
  let start = index;
  while (start > 0 && !CLAUSE_BREAK.test(text[start - 1]!)) start -= 1;
  let end = index;
  while (end < text.length && !CLAUSE_BREAK.test(text[end]!)) end += 1;
  return [start, end];
}

/** The last past/now time word in `text`, if any. */
function lastTime(text: string, rules: CompiledSituationRules): { when: 'past' | 'now'; at: number } | undefined {
  let best: { when: 'past' | 'now'; at: number } | undefined;
  for (const [when, re] of [
    ['past', rules.past],
    ['now', rules.now],
  ] as const) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) if (!best || m.index >= best.at) best = { when, at: m.index };
  }
  return best;
}

/** How strongly the story gives a place a role (a cue word right before it is the strongest). */
interface RoleGuess {
  role: 'from' | 'to';
  strength: number;
  /** The words that gave it, for the reply's "按…理解". */
  evidence: string;
}

/**
 * Gives places their roles from the way a story is told, where the cue words right next to a
 * place ("从X", "转到Y") said nothing: a home town (老家X) is the origin unless the person goes
 * back to it (回老家X); a time word before a place says then (origin) or now (destination); a
 * place where the person works or lives now is the destination. Two places never get the same
 * role: the weaker guess gives way. Places with a role from a cue word keep it.
 */
export function storyRoles(plain: string, located: LocatedPlace[], rules: CompiledSituationRules): Map<LocatedPlace, string> {
  const evidence = new Map<LocatedPlace, string>();
  const asserted = located.filter((p) => !p.negated && (p.region || p.candidates));
  const guesses = new Map<LocatedPlace, RoleGuess>();
  // Home towns ("老家杭州", "我是杭州人"): the origin only when nothing else is.
  const homes = new Set<LocatedPlace>();
  asserted.forEach((place, i) => {
    if (place.role !== 'unknown') {
      guesses.set(place, { role: place.role, strength: 3, evidence: place.text });
      return;
    }
    const previousEnd = asserted[i - 1]?.end ?? 0;
    const [clauseStart] = clauseAround(plain, place.start);
    const prefix = plain.slice(Math.max(previousEnd, clauseStart, place.start - 14), place.start);
    const after = plain.slice(place.end, asserted[i + 1]?.start ?? plain.length);
    if (rules.returnTo.test(prefix.replace(/的$/, ''))) return guesses.set(place, { role: 'to', strength: 2.5, evidence: `${prefix.slice(-3)}${place.text}` });
    const home = rules.home.test(prefix.replace(/(是|在|的|那边|那里)$/, '')) || plain[place.end] === '人';
    if (home) homes.add(place);
    const time = lastTime(plain.slice(Math.max(previousEnd, clauseStart), place.start), rules) ?? lastTime(plain.slice(clauseStart, place.start), rules);
    if (time) return guesses.set(place, { role: time.when === 'past' ? 'from' : 'to', strength: 2, evidence: `${plain.slice(time.at, place.end)}` });
    if (home) return guesses.set(place, { role: 'from', strength: 1, evidence: `${prefix.slice(-2)}${place.text}` });
    // "在南京上班交的医保": where the insurance was paid is the origin, wherever the person is.
    if (PAID_HERE.test(after)) return guesses.set(place, { role: 'from', strength: 1.5, evidence: `${place.text}${after.slice(0, 6)}` });
    if (rules.presence.test(after)) return guesses.set(place, { role: 'to', strength: 0.5, evidence: `${place.text}${after.slice(0, 4)}` });
    return undefined;
  });
  // Two places with the same role: the weaker one takes the other role when it is free and the
  // story moves (a home town named beside where the person works is no move: it stays unplaced).
  const byRole = (role: 'from' | 'to') => [...guesses].filter(([, g]) => g.role === role).sort((a, b) => b[1].strength - a[1].strength);
  for (const role of ['from', 'to'] as const) {
    const same = byRole(role);
    const other = role === 'from' ? 'to' : 'from';
    if (same.length >= 2) {
      const weakest = same.at(-1)!;
      if (byRole(other).length === 0 && weakest[1].strength > 1) guesses.set(weakest[0], { ...weakest[1], role: other });
      else guesses.delete(weakest[0]);
    }
  }
  for (const [place, guess] of guesses) {
    if (place.role === 'unknown') {
      place.role = guess.role;
      evidence.set(place, guess.evidence);
    }
  }
  // The same place named twice is one place: with two roles it has none (no move), a repeat
  // without a role is dropped.
  const byCode = new Map<string, LocatedPlace[]>();
  for (const p of asserted) if (p.region) byCode.set(p.region.code, [...(byCode.get(p.region.code) ?? []), p]);
  for (const same of byCode.values()) {
    if (same.length < 2) continue;
    const roles = new Set(same.map((p) => p.role).filter((r) => r !== 'unknown'));
    if (roles.size > 1) for (const p of same) p.role = 'unknown';
    const keep = same.find((p) => p.role !== 'unknown') ?? same[0]!;
    for (const p of same)
      if (p !== keep) {
        p.repeat = true;
        // Named again, it is still that place: a scheme next to it belongs to its end.
        if (keep.role !== 'unknown') p.role = keep.role;
      }
  }
  // One place with a role and one without: the other takes the opposite role.
  const open = asserted.filter((p) => p.role === 'unknown' && !p.repeat && !homes.has(p));
  const placed = asserted.filter((p) => p.role !== 'unknown' && !p.repeat);
  const distinct = new Set(asserted.filter((p) => !p.repeat).map((p) => p.region?.code ?? p.text)).size;
  if (open.length === 1 && placed.length >= 1 && distinct === 2) {
    const taken = new Set(placed.map((p) => p.role));
    const free = (['from', 'to'] as const).find((r) => !taken.has(r));
    if (free) open[0]!.role = free;
  }
  return evidence;
}

const PAID_HERE = /^[^，。,；;]{0,6}?(?:交的|缴的|参保的|交了|缴了)(?:医保|社保|职工|居民)/;
const MOVES_TO = /^(?:的?医保)?(?:能|可以|可不可以|能不能|想|要|怎么)?(?:转|迁|搬|调|带)?(?:到|去|往|至|过去)/;

export interface SchemeMention {
  scheme: Scheme;
  end: 'from' | 'to';
  start: number;
  word: string;
}

/**
 * The scheme at each end. A scheme word counts for the end its clause is about: the role of the
 * nearest place in the same clause, else a time word (之前 → origin, 现在/新单位 → destination),
 * else — the scheme the person has — the origin. "职工转居民" is a switch: origin then destination.
 */
export function schemesOf(text: string, located: LocatedPlace[], rules: CompiledSituationRules): SchemeMention[] {
  const scrubbed = text.replace(rules.schemeIgnore, (w) => '\u0000'.repeat(w.length));
  const found: SchemeMention[] = [];
  rules.schemeWord.lastIndex = 0;
  for (let m = rules.schemeWord.exec(scrubbed); m; m = rules.schemeWord.exec(scrubbed)) {
    if (rules.schemeNegation.test(scrubbed.slice(Math.max(0, m.index - 4), m.index))) continue;
    const scheme = rules.schemeOf.get(m[0])!;
    const [cs, ce] = clauseAround(scrubbed, m.index);
    // The nearest place of the clause, a preceding one first (the place the scheme is paid in).
    const places = located.filter((p) => !p.negated && p.role !== 'unknown' && p.start >= cs - 1 && p.end <= ce + 1);
    const before = places.filter((p) => p.end <= m!.index).sort((a, b) => b.end - a.end)[0];
    const afterPlace = places.filter((p) => p.start >= m!.index).sort((a, b) => a.start - b.start)[0];
    const near = before && m.index - before.end <= 16 ? before : afterPlace && afterPlace.start - m.index <= 8 ? afterPlace : before ?? afterPlace;
    let end: 'from' | 'to' | undefined = near && near.role !== 'unknown' ? near.role : undefined;
    // "新农合能转到上海吗": the scheme that moves to a destination is the origin's.
    if (near && near === afterPlace && near.role === 'to' && MOVES_TO.test(scrubbed.slice(m.index + m[0].length, near.start))) end = 'from';
    // "从合肥转到南昌 职工医保": a scheme after the whole move is the person's (the origin's), unless
    // it is said of the destination ("南昌那边是居民医保").
    const bothEnds = places.some((p) => p.role === 'from') && places.some((p) => p.role === 'to');
    if (end === 'to' && bothEnds && near && near.end <= m.index && /^[\s,，、]*$/.test(scrubbed.slice(near.end, m.index))) end = 'from';
    // A time word between the place and the scheme speaks for the scheme ("在重庆读的 … 现在公司也交了").
    const timeAfterPlace = near && near.end <= m.index ? lastTime(scrubbed.slice(near.end, m.index + m[0].length), rules) : undefined;
    if (timeAfterPlace) end = timeAfterPlace.when === 'past' ? 'from' : 'to';
    if (!end) {
      const time = lastTime(scrubbed.slice(cs, m.index + m[0].length), rules);
      if (time) end = time.when === 'past' ? 'from' : 'to';
    }
    found.push({ scheme, end: end ?? 'from', start: m.index, word: m[0] });
  }
  // A switch between two schemes: the first is the origin's, the second the destination's.
  for (let i = 0; i + 1 < found.length; i++) {
    const [a, b] = [found[i]!, found[i + 1]!];
    if (a.scheme !== b.scheme && rules.schemeSwitch.test(scrubbed.slice(a.start + a.word.length, b.start))) {
      a.end = 'from';
      b.end = 'to';
    }
  }
  return found;
}

/** Who the message is about: someone else (by relation), back to the speaker, or not said. */
export function subjectOf(text: string, rules: CompiledSituationRules): { relation?: Relation; word?: string; backToSelf?: boolean } {
  const back = rules.backToSelf.exec(text);
  rules.relationWord.lastIndex = 0;
  // "说回我老婆": back to the wife, not to the speaker.
  const relationRightAfter = back ? new RegExp(`^(?:${rules.relationWord.source})`).exec(text.slice(back.index + back[0].length)) : null;
  if (back && !relationRightAfter) return { backToSelf: true };
  if (relationRightAfter) return { relation: rules.relationOf.get(relationRightAfter[0])!, word: relationRightAfter[0] };
  // The first relation word that is not just company, a helper or a place around the speaker
  // ("跟闺女住", "让我老公帮我去", "在女儿家") names the person the question is about.
  const context: Array<[number, number]> = [];
  for (const c of text.matchAll(rules.context)) context.push([c.index, c.index + c[0].length]);
  for (const m of text.matchAll(rules.relationWord)) {
    if (context.some(([start, end]) => m.index >= start && m.index < end)) continue;
    if (rules.mentionOnly.test(text.slice(m.index))) return {};
    return { relation: rules.relationOf.get(m[0])!, word: m[0] };
  }
  return {};
}

/** A yes/no fact from `no` and `yes` patterns; `no` first ("还没退休" before "退休"). */
export function boolFact(text: string, yes: RegExp, no: RegExp): { value: boolean; word: string } | undefined {
  const n = no.exec(text);
  if (n) return { value: false, word: n[0] };
  const y = yes.exec(text);
  return y ? { value: true, word: y[0] } : undefined;
}

/** The employer's and the individual's rates as people give them ("单位8% 个人2%"). */
export function partyRates(text: string): { employer?: number; individual?: number } {
  const rate = String.raw`(?:那头|那边|那块|那份|部分|那)?(?:缴费)?(?:费率|比例|交|缴|出|承担|部分)?(?:的)?(?:是|为|按|占)?\s*(\d+(?:\.\d+)?)\s*(?:%|个点|个百分点)`;
  const employer = new RegExp(`(?:用人单位|单位|公司|企业|厂里|老板)${rate}`).exec(text);
  const individual = new RegExp(`(?:个人|自己|本人|职工个人|我自己|我)${rate}`).exec(text);
  return {
    ...(employer ? { employer: Number(employer[1]) } : {}),
    ...(individual ? { individual: Number(individual[1]) } : {}),
  };
}
