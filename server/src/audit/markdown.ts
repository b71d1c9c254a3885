// Escaping for text that came from users or vendors before it goes into Markdown (reports, posts): no formatting,
// links, images, HTML, headings, table breaks or @-mentions can be injected, and lengths stay bounded.

/** Characters that carry Markdown meaning anywhere in a line (CommonMark allows a backslash before any of them). */
const PUNCTUATION = /[\\`*_~[\]()#|!{}]/g;
// Bidirectional overrides can make text read differently from what it is ("Trojan Source"); control chars break layout.
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;
const ZERO_WIDTH_JOINER = '\u200d';

/**
 * Returns `text` as inert, single-line Markdown: punctuation backslash-escaped, `<`/`>` as entities (so no HTML), a
 * zero-width joiner after every `@` that could start a mention (`@all`, `@channel`, `@here`, `@user` stop notifying),
 * and newlines folded into spaces so the text is safe inside a table cell or a list item.
 */
export function escapeMarkdown(text: string): string {
  return String(text)
    .replace(INVISIBLE, '')
    .replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ')
    .replace(/\t/g, ' ')
    .trim()
    .replace(PUNCTUATION, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(?=[\p{L}\p{N}_.-])/gu, `@${ZERO_WIDTH_JOINER}`)
    // A leading + - = or "1." would start a list or a setext heading when the text begins a line.
    .replace(/^([+=-]|\d+\.)/, (m) => (m.length === 1 ? `\\${m}` : `${m.slice(0, -1)}\\.`));
}

/** Cuts `text` to at most `max` characters (code points, never half a surrogate pair), marking the cut with `…`. */
export function truncateText(text: string, max: number): string {
  if (!Number.isInteger(max) || max < 1) throw new RangeError('truncateText: max must be a positive integer');
  const chars = Array.from(String(text));
  if (chars.length <= max) return chars.join('');
  return `${chars.slice(0, max - 1).join('')}…`;
}

/** escapeMarkdown(truncateText(text, max)): bound the raw text first so escapes are never cut in half. */
export function renderInline(text: string | null | undefined, max = 200): string {
  if (text === null || text === undefined || text === '') return '';
  return escapeMarkdown(truncateText(text, max));
}
