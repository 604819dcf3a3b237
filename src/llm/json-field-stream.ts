/**
 * @module Progressive reading of one string field of a JSON object that arrives in fragments,
 * so a streamed `{"covered":true,"answer":"…","citations":[…]}` can show the answer while it
 * is generated. Top-level primitive values (e.g. `covered`) are captured too. Tolerates text or
 * code fences before the object; the complete text is validated separately at the end.
 *
 * @example
 * const reader = new JsonFieldStream('answer');
 * reader.push('{"covered":true,"answer":"退货'); // '退货'
 * reader.push('请在7天内\\n申请"}'); // '请在7天内\n申请'
 * reader.primitive('covered'); // 'true'
 */

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export class JsonFieldStream {
  private depth = 0;
  private inString = false;
  private escaping = false;
  private unicodeDigits: string | undefined;
  /** What the current string is: a top-level key, the watched value, or anything else. */
  private stringRole: 'key' | 'field' | 'other' = 'other';
  private keyText = '';
  private currentKey: string | undefined;
  private expectingValue = false;
  private primitiveKey: string | undefined;
  private primitiveText = '';
  private highSurrogate = '';
  private fieldText = '';
  private readonly primitives = new Map<string, string>();

  constructor(private readonly field: string) {}

  /** Feeds the next fragment; returns the newly decoded text of the watched field ('' if none). */
  push(fragment: string): string {
    let out = '';
    const emit = (text: string) => {
      for (const char of text) {
        const code = char.charCodeAt(0);
        if (char.length === 1 && code >= 0xd800 && code <= 0xdbff) this.highSurrogate = char;
        else {
          out += this.highSurrogate + char;
          this.highSurrogate = '';
        }
      }
    };
    const append = (text: string) => {
      if (this.stringRole === 'key') this.keyText += text;
      else if (this.stringRole === 'field') emit(text);
    };
    for (const char of fragment) {
      if (this.inString) this.stringChar(char, append);
      else this.structureChar(char);
    }
    this.fieldText += out;
    return out;
  }

  /** The watched field's text decoded so far. */
  get text(): string {
    return this.fieldText;
  }

  /** The raw text of a top-level primitive value once complete (`'true'`, `'0.8'`, `'null'`…). */
  primitive(key: string): string | undefined {
    return this.primitives.get(key);
  }

  private stringChar(char: string, append: (text: string) => void): void {
    if (this.unicodeDigits !== undefined) {
      this.unicodeDigits += char;
      if (this.unicodeDigits.length === 4) {
        const code = Number.parseInt(this.unicodeDigits, 16);
        if (!Number.isNaN(code)) append(String.fromCharCode(code));
        this.unicodeDigits = undefined;
      }
    } else if (this.escaping) {
      this.escaping = false;
      if (char === 'u') this.unicodeDigits = '';
      else append(ESCAPES[char] ?? char);
    } else if (char === '\\') this.escaping = true;
    else if (char === '"') {
      this.inString = false;
      if (this.stringRole === 'key') this.currentKey = this.keyText;
      this.stringRole = 'other';
    } else append(char);
  }

  private structureChar(char: string): void {
    if (this.primitiveKey !== undefined && !(this.depth === 1 && (char === ',' || char === '}'))) {
      if (!/\s/.test(char)) this.primitiveText += char;
      return;
    }
    if (char === '"') {
      this.inString = true;
      if (this.depth !== 1) this.stringRole = 'other';
      else if (!this.expectingValue) {
        this.stringRole = 'key';
        this.keyText = '';
      } else {
        this.stringRole = this.currentKey === this.field ? 'field' : 'other';
        this.expectingValue = false;
      }
    } else if (char === '{' || char === '[') {
      if (this.depth === 1) this.expectingValue = false;
      this.depth += 1;
    } else if (char === '}' || char === ']') {
      this.endPrimitive();
      this.depth = Math.max(0, this.depth - 1);
    } else if (this.depth === 1 && char === ':') this.expectingValue = true;
    else if (this.depth === 1 && char === ',') {
      this.endPrimitive();
      this.expectingValue = false;
      this.currentKey = undefined;
    } else if (this.depth === 1 && this.expectingValue && !/\s/.test(char)) {
      this.primitiveKey = this.currentKey ?? '';
      this.primitiveText = char;
      this.expectingValue = false;
    }
  }

  private endPrimitive(): void {
    if (this.primitiveKey === undefined) return;
    this.primitives.set(this.primitiveKey, this.primitiveText);
    this.primitiveKey = undefined;
    this.primitiveText = '';
  }
}
