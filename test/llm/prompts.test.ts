import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { promptsDir } from '../../src/paths.js';
import { loadPrompts, promptFiles, PROMPT_VERSION } from '../../src/llm/prompts.js';

describe('model prompts', () => {
  it('has the versioned prompt files, each non-empty', () => {
    for (const file of Object.values(promptFiles(PROMPT_VERSION))) {
      const path = join(promptsDir, file);
      expect(existsSync(path), path).toBe(true);
      expect(readFileSync(path, 'utf8').trim().length).toBeGreaterThan(100);
    }
  });

  it('states the rules the guard relies on: sources only, bracketed entry ids, no new numbers, the local office', () => {
    const { system, toolUse, version } = loadPrompts();
    expect(version).toBe(PROMPT_VERSION);
    expect(system).toContain('[timeline-origin-10-working-days]');
    expect(system).toMatch(/不写任何.*数字/);
    expect(system).toContain('医保经办机构');
    expect(system).toContain('<draft>');
    expect(toolUse).toContain('working_days');
  });

  it('stops start-up on an empty prompt file, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prompts-'));
    try {
      await writeFile(join(dir, 'system.v9.md'), '规则');
      await writeFile(join(dir, 'tool-use.v9.md'), '  \n');
      expect(() => loadPrompts({ dir, version: 'v9' })).toThrow('prompts/tool-use.v9.md');
      expect(() => loadPrompts({ dir, version: 'v8' })).toThrow('prompts/system.v8.md');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
