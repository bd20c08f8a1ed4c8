import { z } from 'zod';

const code = z.string().regex(/^\d{6}$/, '地区代码应为 6 位数字');
const name = z.string().trim().min(2, '名称至少 2 个字');

/** knowledge/regions/aliases.yaml: names the division table does not give by itself. */
export const aliasTableSchema = z.object({
  aliases: z.array(
    z.object({
      name,
      codes: z.array(code).min(1),
      note: z.string().min(1),
    }),
  ),
  mentionStopList: z.array(name),
  ethnicGroups: z.array(z.string().min(1)).min(1),
});

export type AliasTable = z.output<typeof aliasTableSchema>;
