import { evaluateRetrieval, formatReport } from './evaluate.js';

/** `npm run eval:retrieval`: prints the report and exits non-zero when the gate fails. */
const report = await evaluateRetrieval();
console.log(formatReport(report));
if (!report.passed) process.exitCode = 1;
