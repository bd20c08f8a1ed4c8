import { describe, expect, it } from 'vitest';
import { loadDialogueRules } from './dialogue-rules.js';
import { compileAnswerRules, detectYesNo } from './yes-no.js';

const rules = compileAnswerRules(loadDialogueRules().answers);

describe('bare yes/no replies', () => {
  it.each(['是', '是的', '对', '对的', '嗯', '嗯嗯', '已经', '已经退休了', '有', '有的', '办了', '交了', '是的,已经在杭州参保了', 'ok'])('"%s" is yes', (text) => {
    expect(detectYesNo(text, rules)).toBe('yes');
  });

  it.each(['不是', '不对', '没有', '还没', '还没有', '没', '否', '不', '没退休', '嗯,还没有', '还没参保呢'])('"%s" is no', (text) => {
    expect(detectYesNo(text, rules)).toBe('no');
  });

  it.each(['有滞纳金吗', '是不是要先停保', '不知道', '对了,我想问一下', '有点复杂', '是从青岛转到南京的医保个人账户余额能不能直接取出来', '职工', '杭州'])(
    '"%s" is not a yes/no answer',
    (text) => {
      expect(detectYesNo(text, rules)).toBeUndefined();
    },
  );
});
