// Markdown escaping of user- and vendor-supplied text: no formatting, links, images, HTML, mentions or layout breaks.
import {describe, expect, it} from '@jest/globals';
import {escapeMarkdown, renderInline, truncateText} from './markdown.js';

const MENTION = /(^|[^\p{L}\p{N}_.-])@(all|channel|here|alice)\b/u;

describe('escapeMarkdown', () => {
  it('neutralises bold, mentions and javascript links in a display name', () => {
    const out = escapeMarkdown('**@all** [x](javascript:alert(1))');
    expect(out).toBe('\\*\\*@\u200dall\\*\\* \\[x\\]\\(javascript:alert\\(1\\)\\)');
    expect(out).not.toMatch(MENTION);
    expect(out).not.toMatch(/(^|[^\\])\[x(\\)?\]\(/);
  });

  it('breaks every kind of mention, also inside other punctuation', () => {
    for (const text of ['@channel', 'hi @here!', '(@alice)', '_@all_']) {
      expect(escapeMarkdown(text)).not.toMatch(MENTION);
    }
  });

  it('turns HTML into text', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert\\(1\\)&gt;');
  });

  it('escapes images, code, strike-through, headings, tables and emphasis', () => {
    expect(escapeMarkdown('![a](http://t/x.png)')).toBe('\\!\\[a\\]\\(http://t/x.png\\)');
    expect(escapeMarkdown('`code` ~~gone~~ _em_ a|b # h')).toBe('\\`code\\` \\~\\~gone\\~\\~ \\_em\\_ a\\|b \\# h');
    expect(escapeMarkdown('back\\slash')).toBe('back\\\\slash');
  });

  it('keeps text on one line and stops it from starting a list or heading', () => {
    expect(escapeMarkdown('line one\r\n\n# two\nthree')).toBe('line one \\# two three');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('  \n- item')).toBe('\\- item');
    expect(escapeMarkdown('+ item')).toBe('\\+ item');
    expect(escapeMarkdown('12. item')).toBe('12\\. item');
    expect(escapeMarkdown('> quote')).toBe('&gt; quote');
  });

  it('removes control characters and bidirectional overrides', () => {
    expect(escapeMarkdown('evil\u202egnp.exe\u0007')).toBe('evilgnp.exe');
  });

  it('leaves plain text alone', () => {
    expect(escapeMarkdown('Alice Liddell, IT-Security 2024')).toBe('Alice Liddell, IT-Security 2024');
  });
});

describe('truncateText', () => {
  it('bounds the length and marks the cut', () => {
    expect(truncateText('abcdef', 4)).toBe('abc…');
    expect(truncateText('abc', 3)).toBe('abc');
    expect(Array.from(truncateText('x'.repeat(1000), 50))).toHaveLength(50);
  });

  it('never splits a surrogate pair', () => {
    expect(truncateText('😀😀😀', 2)).toBe('😀…');
  });

  it('rejects a useless maximum', () => {
    expect(() => truncateText('abc', 0)).toThrow(RangeError);
  });
});

describe('renderInline', () => {
  it('truncates the raw text before escaping, so no escape is cut in half', () => {
    expect(renderInline('**bold**', 3)).toBe('\\*\\*…');
    expect(renderInline(null)).toBe('');
  });
});
