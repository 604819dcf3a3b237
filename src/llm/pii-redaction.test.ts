import { describe, expect, it } from 'vitest';
import { isValidIdCardNumber, passesLuhn, redactPii, shouldRedact } from './pii-redaction.js';

describe('redactPii', () => {
  it.each([
    ['我的手机号是13812345678', '我的手机号是[手机号]'],
    ['电话 138-1234-5678 谢谢', '电话 [手机号] 谢谢'],
    ['call +86 139 1234 5678 please', 'call [手机号] please'],
    ['0086 19912345678', '[手机号]'],
    ['（0086）19912345678', '（0086）[手机号]'],
  ])('redacts mainland mobile numbers: %s', (input, expected) => {
    expect(redactPii(input)).toBe(expected);
  });

  it.each(['12812345678', '1381234567', '138123456789', '010-12345678', '订单号 20240513123456'])('leaves other numbers alone: %s', (input) => {
    expect(redactPii(input)).toBe(input);
  });

  it('redacts valid ID numbers and keeps ones with a wrong check character', () => {
    expect(isValidIdCardNumber('11010519491231002X')).toBe(true);
    expect(isValidIdCardNumber('440301199003071230')).toBe(true);
    expect(isValidIdCardNumber('110105194912310021')).toBe(false);
    expect(redactPii('身份证 11010519491231002x 已上传')).toBe('身份证 [身份证号] 已上传');
    expect(redactPii('ID 440301 19900307 1230')).toBe('ID [身份证号]');
    expect(redactPii('身份证 110105194912310021')).toBe('身份证 110105194912310021');
  });

  it('redacts bank cards that pass Luhn, 16 to 19 digits, with separators', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(redactPii('卡号 6222021234567890128', 'zh')).toBe('卡号 [银行卡号]');
    expect(redactPii('card 4111 1111 1111 1111', 'en')).toBe('card [bank card]');
    expect(redactPii('card 6217-0000-0000-0006')).toBe('card [银行卡号]');
    expect(redactPii('卡号 4111111111111112')).toBe('卡号 4111111111111112');
    expect(redactPii('卡号 411111111111111')).toBe('卡号 411111111111111');
  });

  it('redacts e-mail addresses, with English placeholders when asked', () => {
    expect(redactPii('mail me: zhang.san+shop@example.com.cn', 'en')).toBe('mail me: [email]');
    expect(redactPii('邮箱 a_b@qq.com，手机13912345678')).toBe('邮箱 [邮箱]，手机[手机号]');
  });
});

describe('shouldRedact', () => {
  it.each([
    ['https://api.openai.com/v1', true],
    ['https://my.openai.azure.com/openai/v1', true],
    ['http://10.0.0.5:8000/v1', true],
    ['http://localhost:11434/v1', false],
    ['http://127.0.0.1:8000/v1', false],
    ['http://[::1]:8000/v1', false],
    ['not a url', true],
    [undefined, true],
  ])('auto mode for %s → %s', (baseURL, expected) => {
    expect(shouldRedact(baseURL)).toBe(expected);
  });

  it('obeys an explicit mode', () => {
    expect(shouldRedact('http://127.0.0.1:8000/v1', 'on')).toBe(true);
    expect(shouldRedact('https://api.openai.com/v1', 'off')).toBe(false);
  });
});
