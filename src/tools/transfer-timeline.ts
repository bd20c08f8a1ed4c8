import { z } from 'zod';
import { DomainError } from '../errors.js';
import { loadTable } from '../knowledge/load.js';
import { confidenceOf, isoDate, sourceSchema, verifications } from '../knowledge/schema.js';
import { defineTool, type Basis, type Tool } from './tool.js';
import { type Calendar, describeCoverage, provisionalOf, type Provisional, type SkippedHoliday } from './working-days.js';

// ---------------------------------------------------------------------------------------------
// knowledge/tables/stage-limits.yaml

const stageSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'id 只能用小写字母、数字和连字符'),
    name: z.string().min(2),
    who: z.string().min(2),
    /** Limit in working days; null when the document sets none (never fill one in). */
    workingDays: z.number().int().positive().nullable(),
    /** The event that starts the clock; the day of the event itself is not counted. */
    startsFrom: z.string().min(2),
    does: z.string().min(2),
    source: sourceSchema,
  })
  .strict();

/** Stage ids the timeline computes with; the current procedure must define each exactly once. */
export const currentStageIds = ['transfer-out', 'transfer-in', 'balance-credit'] as const;

const uniqueIds = (stages: { id: string }[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  stages.forEach((s, i) => {
    if (seen.has(s.id)) ctx.addIssue({ code: 'custom', message: `环节 id "${s.id}" 重复`, path: ['stages', i, 'id'] });
    seen.add(s.id);
  });
};

/** Schema of knowledge/tables/stage-limits.yaml. */
export const stageLimitsSchema = z
  .object({
    current: z
      .object({
        name: z.string().min(2),
        verification: z.enum(verifications),
        source: sourceSchema,
        notes: z.array(z.string().min(2)).default([]),
        stages: z.array(stageSchema).min(1),
      })
      .strict()
      .superRefine((procedure, ctx) => {
        uniqueIds(procedure.stages, ctx);
        for (const id of currentStageIds)
          if (!procedure.stages.some((s) => s.id === id))
            ctx.addIssue({ code: 'custom', message: `缺少环节 "${id}"`, path: ['stages'] });
        for (const id of ['transfer-out', 'transfer-in'] as const) {
          const i = procedure.stages.findIndex((s) => s.id === id);
          if (i >= 0 && procedure.stages[i]!.workingDays === null)
            ctx.addIssue({ code: 'custom', message: `环节 "${id}" 必须给出工作日时限`, path: ['stages', i, 'workingDays'] });
        }
      }),
    superseded: z
      .object({
        name: z.string().min(2),
        verification: z.enum(verifications),
        replacedBy: z.string().min(2),
        documents: z
          .array(
            z
              .object({ source: sourceSchema, inForceFrom: isoDate.optional(), replacedBy: z.string().min(2).optional() })
              .strict(),
          )
          .min(1),
        notes: z.array(z.string().min(2)).default([]),
        stages: z.array(stageSchema).min(1),
      })
      .strict()
      .superRefine((procedure, ctx) => uniqueIds(procedure.stages, ctx)),
  })
  .strict();

export type StageLimits = z.output<typeof stageLimitsSchema>;
export type Stage = z.output<typeof stageSchema>;

/** Reads and validates knowledge/tables/stage-limits.yaml. */
export function loadStageLimits(dir?: string): StageLimits {
  return dir === undefined ? loadTable('stage-limits', stageLimitsSchema) : loadTable('stage-limits', stageLimitsSchema, dir);
}

/** Longest total of the superseded procedure: its stages ran one after another. */
export function supersededTotalWorkingDays(limits: StageLimits): number {
  return limits.superseded.stages.reduce((sum, s) => sum + (s.workingDays ?? 0), 0);
}

// ---------------------------------------------------------------------------------------------
// The timeline.

export interface TimelineInput {
  /** Day the transfer application was accepted (受理); may be omitted when only the 信息表 date is known. */
  acceptedDate?: string | undefined;
  /** Day the destination received the 信息表, when known. */
  infoSheetReceivedDate?: string | undefined;
}

export interface TimelineStage {
  id: string;
  name: string;
  who: string;
  /** Last day of the stage; null when no national limit is set. */
  deadline: string | null;
  workingDays: number | null;
  startsFrom: string;
  /** Day the count runs from (not itself counted); null when it cannot be known. */
  countedFrom: string | null;
  /** True when the count runs into a year without a holiday notice (statutory holidays only). */
  provisional: boolean;
  basis: Basis;
}

export interface Timeline extends Provisional {
  stages: TimelineStage[];
  /** Deadline of the destination's transfer-in: when the relationship transfer is complete at the latest. */
  latest: string;
  notes: string[];
  /** The holiday notices the working days were counted with. */
  calendarBasis: Basis[];
}

function stageBasis(stage: Stage, limits: StageLimits): Basis {
  const s = stage.source;
  return {
    label: s.docNumber ? `${s.docNumber}（${s.title}）` : s.title,
    source: s,
    scope: 'national',
    verification: limits.current.verification,
    confidence: confidenceOf(limits.current.verification),
  };
}

/** One stage of the timeline with its deadline and basis. */
function stageRow(stage: Stage, limits: StageLimits, calendar: Calendar, deadline: string | null, countedFrom: string | null): TimelineStage {
  return {
    id: stage.id,
    name: stage.name,
    who: stage.who,
    deadline,
    workingDays: stage.workingDays,
    startsFrom: stage.startsFrom,
    countedFrom,
    provisional: deadline !== null && countedFrom !== null && calendar.provisionalYearsBetween(countedFrom, deadline).length > 0,
    basis: stageBasis(stage, limits),
  };
}

/** "劳动节 2026-05-01 至 2026-05-05" for each run of skipped holiday days. */
function describeSkipped(skipped: SkippedHoliday[]): string[] {
  const runs: { holiday: string; first: string; last: string }[] = [];
  for (const day of [...skipped].sort((a, b) => a.date.localeCompare(b.date))) {
    const run = runs.at(-1);
    if (run && run.holiday === day.holiday) {
      if (day.date > run.last) run.last = day.date;
    } else runs.push({ holiday: day.holiday, first: day.date, last: day.date });
  }
  return runs.map((r) => (r.first === r.last ? `${r.holiday} ${r.first}` : `${r.holiday} ${r.first} 至 ${r.last}`));
}

/**
 * Deadlines of the current national transfer stages (医保办发〔2021〕43号), as calendar dates counted
 * in official working days. Limits come from the stage-limits table.
 * @example transferTimeline({ acceptedDate: '2026-04-28' }, calendar, limits).latest // '2026-05-21'
 */
export function transferTimeline(input: TimelineInput, calendar: Calendar, limits: StageLimits): Timeline {
  if (input.acceptedDate === undefined) {
    if (input.infoSheetReceivedDate === undefined)
      throw new DomainError('BAD_REQUEST', 400, '请提供申请受理日期（acceptedDate）或转入地收到信息表的日期（infoSheetReceivedDate）。');
    return transferInOnly(input.infoSheetReceivedDate, calendar, limits);
  }
  // Validates and range-checks both dates before anything is compared.
  calendar.describeDay(input.acceptedDate);
  const received = input.infoSheetReceivedDate;
  if (received !== undefined) {
    calendar.describeDay(received);
    if (received < input.acceptedDate)
      throw new DomainError(
        'BAD_REQUEST',
        400,
        `收到信息表的日期 ${received} 早于申请受理日期 ${input.acceptedDate}，请检查两个日期。`,
        { details: { acceptedDate: input.acceptedDate, infoSheetReceivedDate: received } },
      );
  }

  const stageOf = (id: (typeof currentStageIds)[number]) => limits.current.stages.find((s) => s.id === id)!;
  const out = stageOf('transfer-out');
  const into = stageOf('transfer-in');
  const credit = stageOf('balance-credit');

  const origin = calendar.addWorkingDays(input.acceptedDate, out.workingDays!);
  const intoFrom = received ?? origin.date;
  const destination = calendar.addWorkingDays(intoFrom, into.workingDays!);
  // If a crediting limit is ever set, the balance leaves the origin by the origin's deadline at the latest.
  const creditResult = credit.workingDays === null ? null : calendar.addWorkingDays(origin.date, credit.workingDays);

  const row = (stage: Stage, deadline: string | null, countedFrom: string | null) => stageRow(stage, limits, calendar, deadline, countedFrom);

  const notes: string[] = [
    `工作日按国务院办公厅节假日安排计算：周末和法定节假日不算，调休上班日照常计算；${out.startsFrom}的当天不计入，从次日起算。`,
  ];
  if (received === undefined)
    notes.push(
      `未提供转入地收到信息表的日期，转入地期限按最晚情况推算：假设转出地在其期限最后一天（${origin.date}）才发出信息表。`,
    );
  else notes.push(`转入地期限从收到信息表的 ${received} 次日起算。`);
  if (credit.workingDays === null)
    notes.push(`${credit.name}：国家文件未规定时限，余额何时到账请向转入地医保经办机构询问。`);
  else
    notes.push(`${credit.name}期限按最晚情况推算：假设余额在转出地期限最后一天（${origin.date}）才划出。`);
  const holidays = describeSkipped([...origin.skipped, ...destination.skipped, ...(creditResult?.skipped ?? [])]);
  if (holidays.length > 0) notes.push(`期间跳过的法定节假日：${holidays.join('；')}。`);
  notes.push(...limits.current.notes);

  const lastDate = [origin.date, destination.date, creditResult?.date ?? origin.date].sort().at(-1)!;
  return {
    stages: [
      row(out, origin.date, input.acceptedDate),
      row(into, destination.date, intoFrom),
      row(credit, creditResult?.date ?? null, credit.workingDays === null ? null : origin.date),
    ],
    latest: destination.date,
    notes,
    calendarBasis: calendar.basisBetween(input.acceptedDate, lastDate),
    ...provisionalOf(calendar, input.acceptedDate, lastDate),
  };
}

/** Only the destination's stage, when the user knows when the 信息表 arrived but not the acceptance date. */
function transferInOnly(received: string, calendar: Calendar, limits: StageLimits): Timeline {
  calendar.describeDay(received);
  const into = limits.current.stages.find((s) => s.id === 'transfer-in')!;
  const credit = limits.current.stages.find((s) => s.id === 'balance-credit')!;
  const destination = calendar.addWorkingDays(received, into.workingDays!);
  const notes = [`转入地期限从收到信息表的 ${received} 次日起算，周末和法定节假日不算，调休上班日照常计算。`];
  if (credit.workingDays === null) notes.push(`${credit.name}：国家文件未规定时限，余额何时到账请向转入地医保经办机构询问。`);
  const holidays = describeSkipped(destination.skipped);
  if (holidays.length > 0) notes.push(`期间跳过的法定节假日：${holidays.join('；')}。`);
  notes.push(...limits.current.notes);
  const row = (stage: Stage, deadline: string | null, countedFrom: string | null) => stageRow(stage, limits, calendar, deadline, countedFrom);
  return {
    stages: [row(into, destination.date, received), ...(credit.workingDays === null ? [row(credit, null, null)] : [])],
    latest: destination.date,
    notes,
    calendarBasis: calendar.basisBetween(received, destination.date),
    ...provisionalOf(calendar, received, destination.date),
  };
}

// ---------------------------------------------------------------------------------------------
// The tool.

export const transferTimelineInputSchema = z
  .object({
    acceptedDate: isoDate.optional().describe('转移接续申请受理成功的日期 YYYY-MM-DD'),
    infoSheetReceivedDate: isoDate.optional().describe('转入地收到《参保人员基本医疗保险信息表》的日期 YYYY-MM-DD（已知时填写）'),
  })
  .refine((v) => v.acceptedDate !== undefined || v.infoSheetReceivedDate !== undefined, {
    message: '请至少提供受理日期或收到信息表的日期',
  });

/** The `transfer_timeline` tool (`POST /v1/tools/transfer-timeline`). */
export function createTransferTimelineTool(
  calendar: Calendar,
  limits: StageLimits,
): Tool<typeof transferTimelineInputSchema, Timeline> {
  const out = limits.current.stages.find((s) => s.id === 'transfer-out')!;
  const into = limits.current.stages.find((s) => s.id === 'transfer-in')!;
  const credit = limits.current.stages.find((s) => s.id === 'balance-credit')!;
  const creditLimit =
    credit.workingDays === null ? `${credit.name}不设全国时限` : `${credit.name}在${credit.startsFrom}后 ${credit.workingDays} 个工作日内`;
  return defineTool({
    name: 'transfer_timeline',
    route: 'transfer-timeline',
    description:
      `按${limits.current.source.docNumber ?? limits.current.name}推算医保关系转移接续各环节的截止日期：` +
      `${out.who}在${out.startsFrom}后 ${out.workingDays} 个工作日内办结，${into.who}在${into.startsFrom}后 ${into.workingDays} 个工作日内办结，` +
      `${creditLimit}。按官方节假日和调休计算工作日：${describeCoverage(calendar)}。`,
    input: transferTimelineInputSchema,
    run: (input) => transferTimeline(input, calendar, limits),
  });
}
