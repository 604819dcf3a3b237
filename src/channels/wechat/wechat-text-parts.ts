/**
 * WeChat and WeCom take at most 2,048 bytes of UTF-8 per text message (passive reply,
 * customer-service or app message); longer answers are split into several messages.
 *
 * @module
 */

/** Bytes per part, under WeChat's 2,048 with room to spare. */
export const WECHAT_TEXT_MAX_BYTES = 2000;

/** `text` in parts of at most `maxBytes` UTF-8 bytes, cut at a line break when one is near. */
export function wechatTextParts(text: string, maxBytes = WECHAT_TEXT_MAX_BYTES): string[] {
  const parts: string[] = [];
  let rest = text;
  while (Buffer.byteLength(rest, 'utf8') > maxBytes) {
    let cut = 0;
    let bytes = 0;
    // By code point, so an emoji or a surrogate pair is never split.
    for (const char of rest) {
      const size = Buffer.byteLength(char, 'utf8');
      if (bytes + size > maxBytes) break;
      bytes += size;
      cut += char.length;
    }
    const newline = rest.lastIndexOf('\n', cut - 1);
    const end = newline > cut / 2 ? newline + 1 : cut;
    parts.push(rest.slice(0, end).trimEnd());
    rest = rest.slice(end).trimStart();
  }
  if (rest !== '') parts.push(rest);
  return parts;
}
