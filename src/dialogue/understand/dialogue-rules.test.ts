import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDialogueDir, loadDialogueRules } from './dialogue-rules.js';

const copies: string[] = [];
function copyRules(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dialogue-rules-'));
  cpSync(defaultDialogueDir, dir, { recursive: true });
  copies.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('dialogue rule files', () => {
  it('load and validate', () => {
    const rules = loadDialogueRules();
    expect(rules.intents.priority).toHaveLength(12);
    expect(rules.answers.yes).toContain('是的');
  });

  it('stop start-up naming the file and field when a weight is wrong', () => {
    const dir = copyRules();
    const path = join(dir, 'intents.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('weight: 2.75', 'weight: -1'));
    expect(() => loadDialogueRules(dir)).toThrow(/intents\.yaml.*weight/);
  });

  it('reject a pattern that is not a regular expression', () => {
    const dir = copyRules();
    writeFileSync(join(dir, 'injection.yaml'), 'words: [瞎编]\npatterns: ["(unclosed"]\n');
    expect(() => loadDialogueRules(dir)).toThrow(/injection\.yaml.*patterns\[0\]/);
  });

  it('reject a priority list that misses an intent', () => {
    const dir = copyRules();
    const path = join(dir, 'intents.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('  - greeting\n\nintents:', '\nintents:'));
    expect(() => loadDialogueRules(dir)).toThrow(/intents\.yaml.*priority/);
  });
});
