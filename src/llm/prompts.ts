import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promptsDir } from '../paths.js';

/**
 * The model path's system prompts, versioned files in prompts/ (e.g. `system.v2.md`). Loaded once
 * at start-up: a missing or empty file stops start-up rather than sending the model no rules.
 */
export interface ModelPrompts {
  /** Role, sources, citation and figure rules. */
  system: string;
  /** When and how to call the bound tools. */
  toolUse: string;
  /** Version of the files in use, e.g. "v2"; logged and shown in /readyz by the caller. */
  version: string;
}

export const PROMPT_VERSION = 'v2';
export const promptFiles = (version = PROMPT_VERSION) => ({ system: `system.${version}.md`, toolUse: `tool-use.${version}.md` });

/** Reads and checks the prompt files of one version. */
export function loadPrompts(options: { dir?: string; version?: string } = {}): ModelPrompts {
  const dir = options.dir ?? promptsDir;
  const version = options.version ?? PROMPT_VERSION;
  const files = promptFiles(version);
  const read = (file: string): string => {
    const path = join(dir, file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`模型提示词文件缺失：prompts/${file}`, { cause: err });
    }
    if (!text.trim()) throw new Error(`模型提示词文件为空：prompts/${file}`);
    return text.trim();
  };
  return { system: read(files.system), toolUse: read(files.toolUse), version };
}
