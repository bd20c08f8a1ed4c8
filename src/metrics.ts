import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process; each app instance gets its own registry. */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  turns: Counter<'intent' | 'answered_by'>;
  guardRejections: Counter<'path' | 'reason'>;
  modelFallbacks: Counter<'reason'>;
  redisFallbacks: Counter<'operation'>;
  feedback: Counter<'rating'>;
  wechatMessages: Counter<'type' | 'outcome'>;
  activeSessions: Gauge;
  calendarDaysRemaining: Gauge;
  calendarNoticeDaysRemaining: Gauge;
  reviewFlaggedToday: Gauge<'reason'>;
  reviewRecordsLost: Counter;
}

export interface MetricsOptions {
  sessionCount?: () => Promise<number>;
  /** Days left in the working-day calendar, read at each scrape. */
  calendarRunway?: () => { daysRemaining: number; noticeDaysRemaining: number };
  /** Today's flagged turns by reason, as the review page counts them (only with the operator review on). */
  reviewCountsToday?: () => Promise<Record<string, number> | undefined>;
  defaultMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const { sessionCount, calendarRunway, reviewCountsToday } = options;
  return {
    registry,
    httpRequests: new Counter({ name: 'http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [registry] }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    turns: new Counter({ name: 'chat_turns_total', help: 'Chat turns by intent and answering path', labelNames: ['intent', 'answered_by'], registers: [registry] }),
    guardRejections: new Counter({ name: 'figure_guard_rejections_total', help: 'Replies the figure guard rejected, by path and reason', labelNames: ['path', 'reason'], registers: [registry] }),
    modelFallbacks: new Counter({ name: 'model_fallbacks_total', help: 'Turns where the model path fell back to the rules, by reason', labelNames: ['reason'], registers: [registry] }),
    redisFallbacks: new Counter({ name: 'redis_fallbacks_total', help: 'Session operations answered from memory because Redis failed', labelNames: ['operation'], registers: [registry] }),
    feedback: new Counter({ name: 'feedback_total', help: 'Thumbs up/down received', labelNames: ['rating'], registers: [registry] }),
    wechatMessages: new Counter({ name: 'wechat_messages_total', help: 'WeChat callback messages by type and outcome', labelNames: ['type', 'outcome'], registers: [registry] }),
    activeSessions: new Gauge({
      name: 'chat_active_sessions',
      help: 'Live chat sessions in the session store',
      registers: [registry],
      async collect() {
        if (sessionCount) this.set(await sessionCount().catch(() => 0));
      },
    }),
    // Alert well before 0: past the last computable day every dated answer is refused.
    calendarDaysRemaining: new Gauge({
      name: 'calendar_days_remaining',
      help: 'Days from today (China time) to the last day the working-day calendar computes, provisional years included',
      registers: [registry],
      collect() {
        if (calendarRunway) this.set(calendarRunway().daysRemaining);
      },
    }),
    calendarNoticeDaysRemaining: new Gauge({
      name: 'calendar_notice_days_remaining',
      help: 'Days from today (China time) to the end of the last year with an imported State Council holiday notice',
      registers: [registry],
      collect() {
        if (calendarRunway) this.set(calendarRunway().noticeDaysRemaining);
      },
    }),
    reviewFlaggedToday: new Gauge({
      name: 'review_flagged_turns_today',
      help: 'Turns flagged for operator review since midnight China time, by reason (thumbs_down, out_of_scope, low_confidence, re_asked, model_fallback); what /admin lists for today',
      labelNames: ['reason'],
      registers: [registry],
      async collect() {
        const counts = reviewCountsToday ? await reviewCountsToday().catch(() => undefined) : undefined;
        if (counts) for (const [reason, n] of Object.entries(counts)) this.set({ reason }, n);
      },
    }),
    reviewRecordsLost: new Counter({ name: 'review_records_lost_total', help: 'Turns or ratings the review store could not record', registers: [registry] }),
  };
}
