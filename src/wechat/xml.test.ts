import { describe, expect, it } from 'vitest';
import { MAX_XML_BYTES, WechatXmlError, buildTextReplyXml, parseWechatXml, toInboundMessage } from './xml.js';

const text = (fields: string) => `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oUser]]></FromUserName><CreateTime>1700000000</CreateTime>${fields}</xml>`;

describe('wechat xml', () => {
  it('keeps the 19-digit MsgId exact and reads CDATA Chinese', () => {
    const message = toInboundMessage(parseWechatXml(text('<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ 医保怎么转？ ]]></Content><MsgId>6054768590064713728</MsgId>')));
    expect(message).toEqual({ kind: 'text', toUser: 'gh_1', fromUser: 'oUser', createTime: '1700000000', content: '医保怎么转？', msgId: '6054768590064713728' });
  });

  it('refuses DOCTYPE and ENTITY declarations, malformed XML, oversized bodies and prototype keys', () => {
    expect(() => parseWechatXml('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "b">]><xml><a>&a;</a></xml>')).toThrow(WechatXmlError);
    expect(() => parseWechatXml('<xml><a>1</b></xml>')).toThrow(WechatXmlError);
    expect(() => parseWechatXml('hello')).toThrow(WechatXmlError);
    expect(() => parseWechatXml('<other/>')).toThrow(WechatXmlError);
    expect(() => parseWechatXml(`<xml><a>${'x'.repeat(MAX_XML_BYTES)}</a></xml>`)).toThrow(/too large/);
    expect(() => parseWechatXml('<xml><__proto__><polluted>1</polluted></__proto__></xml>')).toThrow(WechatXmlError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('returns null when required fields are missing or malformed', () => {
    expect(toInboundMessage(parseWechatXml(text('<MsgType>text</MsgType><Content>hi</Content>')))).toBeNull();
    expect(toInboundMessage(parseWechatXml('<xml><MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId></xml>'))).toBeNull();
    expect(toInboundMessage(parseWechatXml(text('<MsgType>event</MsgType>')))).toBeNull();
  });

  it('classifies voice, events and other message types', () => {
    expect(toInboundMessage(parseWechatXml(text('<MsgType>voice</MsgType><MediaId>m</MediaId><Format>amr</Format><Recognition><![CDATA[医保怎么转]]></Recognition><MsgId>1</MsgId>')))).toMatchObject({ kind: 'voice', recognition: '医保怎么转', msgId: '1' });
    expect(toInboundMessage(parseWechatXml(text('<MsgType>event</MsgType><Event>subscribe</Event><EventKey><![CDATA[]]></EventKey>')))).toMatchObject({ kind: 'event', event: 'subscribe' });
    expect(toInboundMessage(parseWechatXml(text('<MsgType>image</MsgType><PicUrl>u</PicUrl><MsgId>2</MsgId>')))).toMatchObject({ kind: 'other', msgType: 'image', msgId: '2' });
  });

  it('builds a text reply with CDATA that survives “]]>” in the content', () => {
    const xml = buildTextReplyXml({ toUser: 'oUser', fromUser: 'gh_1', createTime: 1700000000, content: '答案]]>后面' });
    expect(xml).toContain('<ToUserName><![CDATA[oUser]]></ToUserName>');
    expect(xml).toContain('<CreateTime>1700000000</CreateTime>');
    expect(parseWechatXml(xml).Content).toBe('答案]]>后面');
  });
});
