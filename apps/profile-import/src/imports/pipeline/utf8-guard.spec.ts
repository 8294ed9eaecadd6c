import { Utf8Guard, firstInvalidUtf8 } from './utf8-guard';

describe(Utf8Guard.name, () => {
  it('should accept a character split across two chunks', () => {
    const text = Buffer.from('a€b'); // € is 3 bytes
    const guard = new Utf8Guard();
    expect(guard.check(text.subarray(0, 2), false)).toBe(-1);
    expect(guard.check(text.subarray(2), true)).toBe(-1);
  });

  it('should point at the first invalid byte', () => {
    const guard = new Utf8Guard();
    expect(guard.check(Buffer.from([0x61, 0x62, 0xe9, 0x63]), false)).toBe(2); // Latin-1 é
  });

  it('should refuse a character cut off at the end of the input', () => {
    expect(new Utf8Guard().check(Buffer.from([0x61, 0xe2, 0x82]), true)).toBe(1);
  });

  it('should refuse overlong forms and surrogates like a fatal TextDecoder', () => {
    for (const bytes of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]]) {
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(bytes))).toThrow();
      expect(firstInvalidUtf8(Buffer.from(bytes))).toBe(0);
      expect(new Utf8Guard().check(Buffer.from(bytes), true)).toBe(0);
    }
  });
});
