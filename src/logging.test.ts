import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions, maskLogText, maskValue } from './logging.js';

const ID = '110101199003071234';
const ID_X = '32010619851231002X';
const PHONE = '13812345678';
const PHONE2 = '15987654321';
const NAME = '张三丰';
const NAME2 = '王小明';
const SECRETS = [ID, ID_X, PHONE, PHONE2, NAME, NAME2, '1381234', '19900307', '19851231'];

function capture(level = 'trace') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  const log = pino(loggerOptions({ level }), stream);
  return { log, lines };
}

function expectClean(lines: string[]): void {
  expect(lines.length).toBeGreaterThan(0);
  const all = lines.join('');
  // Also the JSON-decoded text, so an escape sequence cannot hide a value.
  const decoded = lines.map((l) => JSON.stringify(JSON.parse(l), null, 0)).join('') + lines.map((l) => JSON.stringify(JSON.parse(l))).join('');
  for (const secret of SECRETS) {
    expect(all, `raw log contains ${secret}`).not.toContain(secret);
    expect(decoded, `decoded log contains ${secret}`).not.toContain(secret);
  }
}

describe('log masking', () => {
  it('masks IDs, phones and names in the message, printf arguments and bound fields', () => {
    const { log, lines } = capture();
    log.info(`我叫${NAME}，身份证${ID}，电话${PHONE}`);
    log.info('用户 %s 来电，证件 %s', PHONE2, ID_X);
    log.child({ user: `我是${NAME2}，想问医保` }).warn({ sessionId: 's1' }, 'hello');
    log.info({ msg: `联系人：${NAME} ${PHONE}` });
    expectClean(lines);
    expect(lines[0]).toContain('110101********1234');
    expect(lines[0]).toContain('138****5678');
    expect(lines[0]).toContain('我叫**');
  });

  it('masks strings nested in objects and arrays, keys, and numbers that are phone or ID numbers', () => {
    const { log, lines } = capture();
    log.info({ a: { b: [{ c: `身份证 ${ID_X}` }, [`tel:${PHONE}`]] }, phone: Number(PHONE), [PHONE2]: true }, 'nested');
    log.info({ list: [null, 1, true, `姓名：${NAME2}`], deep: { l1: { l2: { l3: { l4: { l5: ID } } } } } });
    expectClean(lines);
  });

  it('masks odd spellings: grouped digits, full-width digits, +86, a value after a newline', () => {
    const { log, lines } = capture();
    log.info('138 1234 5678 / 138-1234-5678 / +86 13812345678 / １３８１２３４５６７８');
    log.info(`第一行\n${ID}\n第三行`);
    log.info({ text: `110101 19900307 1234` });
    expectClean([...lines]);
    for (const variant of ['138 1234 5678', '138-1234-5678', '１３８１２３４５６７８', '110101 19900307 1234']) expect(lines.join('')).not.toContain(variant);
  });

  it('masks errors: message, stack, cause, and the message pino takes from the error', () => {
    const { log, lines } = capture();
    const cause = new Error(`下游拒绝 ${PHONE2}`);
    const err = new Error(`用户 ${PHONE} 的证件 ${ID} 校验失败`, { cause });
    log.error(err);
    log.error({ err }, `处理“我叫${NAME}”的请求失败`);
    log.warn({ err: { message: `plain ${ID_X}`, stack: `at ${PHONE}` } });
    log.error({ error: new TypeError(`我叫${NAME2}`) }, 'typed');
    expectClean(lines);
    const first = JSON.parse(lines[0]!) as { msg: string; err: { message: string; stack: string; cause: { message: string } } };
    expect(first.msg).toContain('138****5678');
    expect(first.err.stack).toContain('logging.test.ts');
    expect(first.err.cause.message).toContain('159****4321');
  });

  it('redacts bodies and credentials by key', () => {
    const { log, lines } = capture();
    log.info({ body: { message: `我叫${NAME}` }, headers: { authorization: 'Bearer abc.def', cookie: 'sid=xyz' } }, 'keys');
    expectClean(lines);
    const all = lines.join('');
    expect(all).not.toContain('abc.def');
    expect(all).not.toContain('sid=xyz');
    expect(all).toContain('[redacted]');
  });

  it('cuts cycles and very deep or wide values instead of failing', () => {
    const a: Record<string, unknown> = { tel: PHONE };
    a.self = a;
    let deep: Record<string, unknown> = { v: ID };
    for (let i = 0; i < 50; i++) deep = { d: deep };
    const wide = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, PHONE]));
    const { log, lines } = capture();
    log.info({ a, deep, wide, long: `${PHONE} `.repeat(5000) });
    expectClean(lines);
    expect(maskValue(a)).toMatchObject({ self: '[circular]' });
  });

  it('leaves ordinary text readable', () => {
    expect(maskLogText('我是职工，想从青岛转到南京，2026年4月28日受理')).toBe('我是职工，想从青岛转到南京，2026年4月28日受理');
  });
});
