import { createHash } from 'node:crypto';
import { Document, type YAMLMap } from 'yaml';
import { intents } from '../dialogue/types.js';
import { chinaTime } from './review-csv.js';
import { reasonLabels, type ReviewRecord } from './review-record.js';
import type { ReviewStore } from './review-store.js';

/** Turns replayed before the last flagged one at most: enough to rebuild the conversation's state. */
const MAX_CASE_TURNS = 20;
const REPLY_SHOWN = 160;

/** The marker the eval loader refuses until an operator replaces it with expectations. */
export const TODO_TEXT = '填写这一轮的期望（intent、facts、forbidden、citations、slots、needs，见 eval/README.md）后删除本行';

export interface DraftOptions {
  /** When the drafts were written (ISO), for the header. */
  generatedAt: string;
  /** What was selected, for the header (e.g. "2026-12-05 起，原因：点踩"). */
  selection: string;
}

/** A short, stable, URL-safe case id: the day of the conversation and a hash of its session id. */
function caseId(record: ReviewRecord): string {
  const day = chinaTime(record.at).slice(0, 10).replace(/-/g, '');
  const hash = createHash('sha256').update(record.sessionId).digest('hex').slice(0, 10);
  return `review-${day}-${hash}`;
}

const shorten = (text: string, max: number) => {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
};

function whatHappened(r: ReviewRecord): string {
  const parts = [
    `复核：${r.reasons.map((x) => reasonLabels[x]).join('、')}`,
    r.comment ? `用户评论「${r.comment}」` : '',
    `当时意图 ${r.intent}（理解为 ${r.understood.intent}，置信度 ${r.understood.confidence}）`,
    r.fallback ? `模型回退：${r.fallback}` : '',
    r.citations.length > 0 ? `引用 ${r.citations.join(', ')}` : '未引用条目',
  ];
  return parts.filter(Boolean).join('；');
}

/**
 * Eval case drafts (YAML in the format of eval/case-schema.ts) from flagged turns: one case per
 * conversation, replaying its recorded turns up to the last flagged one. Flagged turns carry a
 * `todo` line that the eval loader refuses, so a draft cannot pass as a test before an operator
 * has written what the right answer must say; the answer given at the time is a comment beside it.
 */
export async function evalDrafts(store: ReviewStore, flagged: readonly ReviewRecord[], options: DraftOptions): Promise<{ yaml: string; cases: number }> {
  const bySession = new Map<string, ReviewRecord[]>();
  for (const record of flagged) bySession.set(record.sessionId, [...(bySession.get(record.sessionId) ?? []), record]);

  const cases: Record<string, unknown>[] = [];
  const turnComments: { caseIndex: number; turnIndex: number; comment: string }[] = [];
  const caseComments: { caseIndex: number; comment: string }[] = [];
  // Oldest conversation first, so a file reads like the day it covers.
  const sessions = [...bySession.values()].map((rs) => rs.sort((a, b) => a.turn - b.turn)).sort((a, b) => a[0]!.at.localeCompare(b[0]!.at));
  for (const records of sessions) {
    const first = records[0]!;
    const last = records.at(-1)!;
    const flaggedTurns = new Set(records.map((r) => r.turn));
    const from = Math.max(1, last.turn - MAX_CASE_TURNS + 1);
    const turns = await store.turns(first.sessionId, from, last.turn);
    if (turns.length === 0) continue;
    const caseIndex = cases.length;
    const intent = (intents as readonly string[]).includes(first.intent) ? first.intent : 'dialogue';
    cases.push({
      id: caseId(first),
      category: intent,
      title: shorten(`${reasonLabels[first.reasons[0] ?? 'low_confidence']}：${first.question}`, 40),
      turns: turns.map((t) => (flaggedTurns.has(t.turn) ? { user: t.question, todo: TODO_TEXT, note: whatHappened(t) } : { user: t.question })),
    });
    const missing = turns[0]!.turn > 1 ? `第 1–${turns[0]!.turn - 1} 轮不在记录中（早于保留期或上限），从第 ${turns[0]!.turn} 轮开始重放。` : '';
    caseComments.push({ caseIndex, comment: ` ${chinaTime(first.at)}，会话 ${first.sessionId}。${missing}` });
    turns.forEach((t, turnIndex) => {
      if (flaggedTurns.has(t.turn)) turnComments.push({ caseIndex, turnIndex, comment: ` 第 ${t.turn} 轮，当时的回答：${shorten(t.reply, REPLY_SHOWN)}` });
    });
  }

  const doc = new Document({ category: 'dialogue', cases });
  doc.commentBefore = [
    ` 评测用例草稿：由运营复核记录生成（${chinaTime(options.generatedAt)}；${options.selection}；${cases.length} 个会话）。`,
    ' 用户消息已脱敏。标有 todo 的轮次是当时出问题的地方：写下正确回答必须满足的期望，再删除 todo 行；',
    ' 未删除 todo 的文件 npm run eval 会拒绝加载。填好后移入 eval/cases/，它就成为回归用例。',
  ].join('\n');
  for (const { caseIndex, comment } of caseComments) (doc.getIn(['cases', caseIndex]) as YAMLMap).commentBefore = comment;
  for (const { caseIndex, turnIndex, comment } of turnComments) (doc.getIn(['cases', caseIndex, 'turns', turnIndex]) as YAMLMap).commentBefore = comment;
  return { yaml: cases.length > 0 ? doc.toString({ lineWidth: 0 }) : '', cases: cases.length };
}
