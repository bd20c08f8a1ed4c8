import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { KnowledgeError, validateOrThrow } from '../../knowledge/load.js';
import { knowledgeDir, projectRoot } from '../../paths.js';
import { alternation } from './patterns.js';

const words = z.array(z.string().min(1)).min(1);
const patterns = z
  .array(
    z.string().superRefine((source, ctx) => {
      try {
        new RegExp(source);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `正则表达式无效：${(err as Error).message}` });
      }
    }),
  )
  .min(1);

export const situationRulesSchema = z
  .object({
    time: z.object({ past: words, now: words }).strict(),
    home: words,
    returnTo: words,
    presence: words,
    schemes: z
      .object({ employee: words, resident: words, flexible: words, switchCues: words, negations: words, ignore: words })
      .strict(),
    people: z
      .object({ parent: words, child: words, spouse: words, other: words, mentionOnly: patterns, context: patterns, backToSelf: words })
      .strict(),
    died: patterns,
    emigrated: words,
    retired: z.object({ no: patterns, yes: patterns, working: patterns }).strict(),
    enrolled: z.object({ yes: patterns, no: patterns }).strict(),
    stopped: z.object({ yes: patterns, no: patterns }).strict(),
  })
  .strict();
export type SituationRules = z.output<typeof situationRulesSchema>;

export type Scheme = 'employee' | 'resident' | 'flexible';
export type Relation = 'parent' | 'child' | 'spouse' | 'other';

export interface CompiledSituationRules {
  past: RegExp;
  now: RegExp;
  home: RegExp;
  returnTo: RegExp;
  presence: RegExp;
  schemeWord: RegExp;
  schemeOf: ReadonlyMap<string, Scheme>;
  schemeSwitch: RegExp;
  schemeNegation: RegExp;
  schemeIgnore: RegExp;
  relationWord: RegExp;
  relationOf: ReadonlyMap<string, Relation>;
  mentionOnly: RegExp;
  /** A relation word in a role around the speaker (company, helper, a place): `{who}` is the word (global). */
  context: RegExp;
  backToSelf: RegExp;
  died: RegExp;
  emigrated: RegExp;
  retiredNo: RegExp;
  retiredYes: RegExp;
  /** Working now: says not retired when nothing says retired. */
  working: RegExp;
  enrolledYes: RegExp;
  enrolledNo: RegExp;
  stoppedYes: RegExp;
  stoppedNo: RegExp;
}

const any = (sources: readonly string[]) => new RegExp(sources.map((s) => `(?:${s})`).join('|'));

/** Precompiles knowledge/dialogue/situation.yaml (once, at load). */
export function compileSituationRules(rules: SituationRules): CompiledSituationRules {
  const schemeOf = new Map<string, Scheme>();
  for (const scheme of ['employee', 'resident', 'flexible'] as const) for (const w of rules.schemes[scheme]) schemeOf.set(w, scheme);
  const relationOf = new Map<string, Relation>();
  for (const relation of ['parent', 'child', 'spouse', 'other'] as const) for (const w of rules.people[relation]) relationOf.set(w, relation);
  return {
    past: new RegExp(alternation(rules.time.past), 'g'),
    now: new RegExp(alternation(rules.time.now), 'g'),
    home: new RegExp(`${alternation(rules.home)}$`),
    returnTo: new RegExp(`${alternation(rules.returnTo)}$`),
    presence: new RegExp(`^.{0,6}?${alternation(rules.presence)}`),
    schemeWord: new RegExp(alternation([...schemeOf.keys()]), 'g'),
    schemeOf,
    schemeSwitch: new RegExp(`^[^。?!;]{0,16}${alternation(rules.schemes.switchCues)}[^,。?!;]{0,3}$`),
    schemeNegation: new RegExp(`${alternation(rules.schemes.negations)}.{0,1}$`),
    schemeIgnore: new RegExp(alternation(rules.schemes.ignore), 'g'),
    relationWord: new RegExp(alternation([...relationOf.keys()]), 'g'),
    relationOf,
    mentionOnly: any(rules.people.mentionOnly),
    context: new RegExp(any(rules.people.context.map((p) => p.replaceAll('{who}', `(?:${alternation([...relationOf.keys()])})`))).source, 'g'),
    backToSelf: new RegExp(alternation(rules.people.backToSelf)),
    died: any(rules.died),
    emigrated: new RegExp(alternation(rules.emigrated)),
    retiredNo: any(rules.retired.no),
    retiredYes: any(rules.retired.yes),
    working: any(rules.retired.working),
    enrolledYes: any(rules.enrolled.yes),
    enrolledNo: any(rules.enrolled.no),
    stoppedYes: any(rules.stopped.yes),
    stoppedNo: any(rules.stopped.no),
  };
}

/** Reads and validates knowledge/dialogue/situation.yaml. */
export function loadSituationRules(dir = join(knowledgeDir, 'dialogue')): SituationRules {
  const path = join(dir, 'situation.yaml');
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new KnowledgeError(relative(projectRoot, path) || path, '', `无法读取或解析：${(err as Error).message.split('\n')[0]}`);
  }
  return validateOrThrow(situationRulesSchema, data, path);
}
