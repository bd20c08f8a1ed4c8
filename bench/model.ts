/**
 * The model path's own cost. A full POST /v1/chat turn through the model path, minus the stub
 * endpoint's own time for that turn, next to the same turns answered by the rules alone, both
 * measured in this run over real HTTP. The stub answers at once (or after a fixed delay), so what
 * remains is ours: building the messages, the OpenAI client and LangChain, parsing, the figure and
 * citation checks. Target: p50 overhead < 5 ms.
 */
import { buildApp } from '../src/app.js';
import { startModelApp, wrap, type RunningModelApp } from '../test/llm/model-app.js';
import { startStubServer } from '../test/llm/stub-server.js';
import { fmt, percentile } from './lib.js';
import { chatQuestions } from './questions.js';

interface Sample {
  turnMs: number;
  stubMs: number;
  answeredBy: string;
  modelCalled: boolean;
}

async function runTurns(service: RunningModelApp, turns: number, stubTimings?: number[]): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let n = 0; n < turns; n += 1) {
    const message = chatQuestions[n % chatQuestions.length]!;
    const before = stubTimings?.length ?? 0;
    const started = performance.now();
    // A fresh session per turn: each turn is a first question, the same in both runs.
    const response = await service.chat(message);
    const turnMs = performance.now() - started;
    const stubCalls = stubTimings?.slice(before) ?? [];
    samples.push({ turnMs, stubMs: stubCalls.reduce((a, b) => a + b, 0), answeredBy: response.answeredBy, modelCalled: stubCalls.length > 0 });
  }
  return samples;
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

/** Prints p50/p95 of the model path's overhead over the stub, with the rules-only turn for comparison. */
export async function benchModel(options: { turns?: number; stubDelayMs?: number } = {}): Promise<void> {
  const turns = options.turns ?? 300;
  const stubDelayMs = options.stubDelayMs ?? 0;
  const stub = await startStubServer({ mode: 'paraphrase', delayMs: stubDelayMs });

  const rulesApp = await buildApp({ config: { LOG_LEVEL: 'silent', RATE_LIMIT_MAX: 100_000_000 } });
  await rulesApp.listen({ port: 0, host: '127.0.0.1' });
  const rules = wrap(rulesApp, `http://127.0.0.1:${(rulesApp.server.address() as { port: number }).port}`);
  const model = await startModelApp(stub.url, { LOG_LEVEL: 'silent', RATE_LIMIT_MAX: 100_000_000 });

  // Warm both paths (JIT, connection pools) before measuring.
  await runTurns(rules, 200);
  await runTurns(model, 200, stub.timings);

  const rulesSamples = await runTurns(rules, turns);
  const modelSamples = (await runTurns(model, turns, stub.timings)).filter((s) => s.modelCalled);
  await rules.close();
  await model.close();
  await stub.close();

  const rulesMs = sorted(rulesSamples.map((s) => s.turnMs));
  const modelMs = sorted(modelSamples.map((s) => s.turnMs));
  const stubMs = sorted(modelSamples.map((s) => s.stubMs));
  const net = sorted(modelSamples.map((s) => s.turnMs - s.stubMs));
  const rulesP50 = percentile(rulesMs, 50);
  const overhead = sorted(net.map((ms) => ms - rulesP50));
  const byModel = modelSamples.filter((s) => s.answeredBy === 'model').length;

  console.log(`  ${turns} sequential turns each over HTTP (${chatQuestions.length} questions); stub delay ${stubDelayMs} ms`);
  console.log(`  rules-only turn:                       p50 ${fmt(rulesP50, 2)} ms  p95 ${fmt(percentile(rulesMs, 95), 2)} ms`);
  console.log(`  model-path turn (${modelSamples.length} called the model, ${byModel} answered by it): p50 ${fmt(percentile(modelMs, 50), 2)} ms  p95 ${fmt(percentile(modelMs, 95), 2)} ms`);
  console.log(`  stub's own time per turn:              p50 ${fmt(percentile(stubMs, 50), 2)} ms  p95 ${fmt(percentile(stubMs, 95), 2)} ms`);
  console.log(`  model-path turn minus stub time:       p50 ${fmt(percentile(net, 50), 2)} ms  p95 ${fmt(percentile(net, 95), 2)} ms`);
  console.log(`  overhead over the rules-only turn:     p50 ${fmt(percentile(overhead, 50), 2)} ms  p95 ${fmt(percentile(overhead, 95), 2)} ms  (target p50 < 5 ms)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('model path overhead');
  await benchModel({ turns: Number(process.argv[2] ?? 300), stubDelayMs: Number(process.argv[3] ?? 0) });
}
