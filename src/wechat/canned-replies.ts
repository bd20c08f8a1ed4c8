/** Fixed replies of the WeChat account, for messages the chat does not handle. */

const EXAMPLES = ['我从青岛调到南京工作，医保怎么转？', '转移申请受理后多久能办完？', '断缴了还能转医保吗？'];

export const WELCOME_TEXT = [
  '您好！我是医保转移助手，可以解答基本医疗保险跨地区转移接续的问题：能不能转、怎么办理、要多久、需要哪些材料，个人账户余额怎么处理，断缴、补缴和待遇等待期等。',
  '',
  '您可以这样问我：',
  ...EXAMPLES.map((q) => `· ${q}`),
  '',
  '直接输入文字提问即可。回答仅供参考，具体以当地医保经办机构的规定为准。',
].join('\n');

export const TEXT_ONLY_TEXT = `目前我只能看懂文字消息，请直接输入您的问题，例如：“${EXAMPLES[0]}”`;

export const VOICE_NOT_RECOGNISED_TEXT = `抱歉，暂时听不清这条语音，请直接输入文字提问，例如：“${EXAMPLES[0]}”`;

export const EMPTY_TEXT = `请输入您想咨询的医保转移问题，例如：“${EXAMPLES[1]}”`;

export const CHAT_FAILED_TEXT = '抱歉，暂时无法回答这个问题，请稍后再试。';

/** The last line of an answer that left something out: the engine answers “详细” with the rest. */
export const DETAILS_OFFER = '回复“详细”查看依据和更多说明';

/**
 * Words that ask for the next page of an answer cut for length (MORE_POINTER). Without a page
 * waiting they go to the engine like any message, which answers them with the details or a help line.
 */
export const CONTINUE_WORDS = new Set(['继续', '更多', '下一页', '接着说', '继续说']);
