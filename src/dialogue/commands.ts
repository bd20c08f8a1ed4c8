import { z } from 'zod';
import { loadTable } from '../knowledge/load.js';
import { knowledgeDir } from '../paths.js';
import { join } from 'node:path';

const commandsSchema = z
  .object({
    details: z.object({ words: z.array(z.string().min(1)).min(1), none: z.string().min(4), lead: z.string().min(1) }).strict(),
  })
  .strict();
export type Commands = z.output<typeof commandsSchema>;

/** knowledge/dialogue/commands.yaml: the words that ask for the rest of the last answer. */
export function loadCommands(dir = join(knowledgeDir, 'dialogue')): Commands {
  return loadTable('commands', commandsSchema, dir);
}

// What may surround a command word without making it a question.
const FILLER = /[\s，。,.!！?？~～]|一下|吧|呢|啊|呀|请|麻烦|再/g;

/** Whether the whole message asks for the rest of the last answer ("详细", "展开说说", "继续"). */
export function asksForDetails(message: string, commands: Commands): boolean {
  const bare = message.replace(FILLER, '');
  return bare.length > 0 && commands.details.words.some((w) => w.replace(FILLER, '') === bare);
}
