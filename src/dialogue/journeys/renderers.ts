import { renderKnowledge, renderOutOfScope, renderSmalltalk } from '../render/knowledge.js';
import { renderArrears, renderPayout, renderRetireeCredit } from '../render/money.js';
import { renderProgress, renderTimeline, renderWorkingDays } from '../render/timeline.js';
import { renderTransfer } from '../render/transfer.js';
import type { JourneyContext } from './context.js';
import type { ToolName } from './schema.js';
import type { ToolOutcome, ToolOutput } from './tool-registry.js';

/**
 * What a renderer may tell the runner: `complete` when its answer does not depend on the slots
 * still missing (nothing is asked then).
 */
export type RenderResult = { complete?: boolean } | void;

/** A renderer and the tool whose output it renders (none for knowledge-only journeys). */
export interface Renderer {
  tool?: ToolName;
  render(ctx: JourneyContext, outcome: ToolOutcome<unknown> | undefined): RenderResult;
}

/**
 * Ties a renderer to its tool's output type. The one cast of a tool outcome to its tool's output
 * is here; `checkJourneys` verifies at load that each journey's tool is its renderer's tool.
 */
function forTool<N extends ToolName>(tool: N, render: (ctx: JourneyContext, outcome?: ToolOutcome<ToolOutput<N>>) => RenderResult): Renderer {
  return { tool, render: (ctx, outcome) => render(ctx, outcome as ToolOutcome<ToolOutput<N>> | undefined) };
}
const plain = (render: (ctx: JourneyContext) => RenderResult): Renderer => ({ render: (ctx) => render(ctx) });

/** Every renderer, by the name journey files give in `render`. */
export const renderers = {
  transfer: forTool('transfer_eligibility', renderTransfer),
  timeline: forTool('transfer_timeline', renderTimeline),
  working_days: forTool('working_days', renderWorkingDays),
  arrears: forTool('arrears', renderArrears),
  payout: forTool('payout', renderPayout),
  retiree_credit: forTool('retiree_credit', renderRetireeCredit),
  progress: plain(renderProgress),
  knowledge: plain(renderKnowledge),
  smalltalk: plain(renderSmalltalk),
  out_of_scope: plain(renderOutOfScope),
} satisfies Record<string, Renderer>;
export type RendererName = keyof typeof renderers;
