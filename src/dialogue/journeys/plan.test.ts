import { describe, expect, it } from 'vitest';
import type { KnowledgeEntry } from '../../knowledge/schema.js';
import { AnswerPlan } from './plan.js';

const entry = (id: string) => ({ id, title: id, summary: `${id}的要点。`, body: `${id}的要点。` }) as unknown as KnowledgeEntry;
const entries = new Map(['a', 'b', 'c', 'd'].map((id) => [id, entry(id)]));

describe('the answer plan', () => {
  it('keeps a pinned first sentence: a later answer becomes a point', () => {
    const plan = new AnswerPlan(entries).pinAnswer('我只依据政策原文回答。').answer('转出地10个工作日内办结。');
    const { reply } = plan.build();
    expect(reply.split('\n')[0]).toBe('我只依据政策原文回答。');
    expect(reply).toContain('转出地10个工作日内办结。');
  });

  it('cites a point’s entries with the reply only while the point is in it', () => {
    const plan = new AnswerPlan(entries).answer('能转。');
    plan.point('第一点。').point('第二点。').point('第三点。');
    plan.pointCiting('第四点。', undefined, ['d']);
    const cited = plan.citedEntries();
    expect(cited.reply.map((e) => e.id)).not.toContain('d');
    expect(cited.details.map((e) => e.id)).toContain('d');
    expect(plan.build().reply).not.toContain('第四点');

    const roomy = new AnswerPlan(entries).answer('能转。').pointCiting('在哪办。', undefined, ['a']);
    expect(roomy.citedEntries().reply.map((e) => e.id)).toEqual(['a']);
  });
});
