/**
 * `npm run bench`: every performance figure of the service, each next to a baseline measured in
 * the same run. `npm run bench -- chat retrieval` runs only the named sections.
 */
import { benchChat } from './chat.js';

const sections: Record<string, () => Promise<unknown>> = {
  retrieval: async () => (await import('./retrieval.js')).benchRetrieval(),
  chat: async () => benchChat(),
  wechat: async () => (await import('./wechat.js')).benchWechat(),
  model: async () => (await import('./model.js')).benchModel(),
  sessions: async () => (await import('./sessions.js')).benchSessions(),
  review: async () => (await import('./review.js')).benchReview(),
  scale: async () => (await import('./scale.js')).benchScale(),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const [name, run] of Object.entries(sections)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n== ${name}`);
  await run();
}
