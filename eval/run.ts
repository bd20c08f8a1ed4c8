import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CaseFileError } from './load-cases.js';
import { formatReport } from './report.js';
import { runEval, type EvalOptions, type EvalReport } from './run-eval.js';

export { runEval, type EvalOptions, type EvalReport } from './run-eval.js';

const USAGE = `Usage: npm run eval -- [options]

  --url <http://host:port>  run against a running service (default: build the app in-process)
  --cases <glob>            case files (default: eval/cases/*.yaml)
  --only <id>               only cases whose id contains <id> (repeatable)
  --json <file>             also write the full report as JSON
  --llm-stub                reserved: hand the run to eval/llm-stub.ts (exports \`prepare\`) when present
  -h, --help                this text

Exits 1 when the gate fails (pass rate < 95 % or any unbacked figure), 2 on bad arguments or case files.
Against --url, start the service with a high RATE_LIMIT_MAX (429s are retried, but slow the run).`;

type Prepare = NonNullable<EvalOptions['prepare']>;

/** The optional hook module for --llm-stub; absent until a stub exists. */
async function loadLlmStubHook(): Promise<Prepare | undefined> {
  const path = fileURLToPath(new URL('./llm-stub.ts', import.meta.url));
  if (!existsSync(path)) return undefined;
  const mod = (await import(pathToFileURL(path).href)) as { prepare?: Prepare };
  return mod.prepare;
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        cases: { type: 'string' },
        only: { type: 'string', multiple: true },
        json: { type: 'string' },
        'llm-stub': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }

  const llmStub = args['llm-stub'] ?? false;
  const prepare = llmStub ? await loadLlmStubHook() : undefined;
  if (llmStub && !prepare) console.warn('--llm-stub: no eval/llm-stub.ts hook yet; running the rules path.');

  let report: EvalReport;
  try {
    report = await runEval({
      url: args.url,
      cases: args.cases,
      only: args.only,
      llmStub,
      prepare,
      onCase: (r) => process.stderr.write(r.passed ? '.' : 'F'),
    });
  } catch (err) {
    process.stderr.write('\n');
    if (CaseFileError.is(err)) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  process.stderr.write('\n');
  console.log(formatReport(report));
  if (args.json) {
    const out = resolve(args.json);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`report written to ${args.json}`);
  }
  return report.gate.passed ? 0 : 1;
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 2;
    },
  );
}
