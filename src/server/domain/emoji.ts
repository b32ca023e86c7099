/**
 * What counts as one emoji: an RGI emoji sequence (Unicode's "recommended for general
 * interchange" set: single emoji, skin tones, flags, keycaps, ZWJ sequences), by the
 * `\p{RGI_Emoji}` property of the regular expression `v` flag (Node 20+), so the set follows
 * the Unicode version of the runtime with no list of our own to keep.
 */
// Built from a string: the compile target (ES2022) predates the `v` flag's syntax.
const ONE_EMOJI = new RegExp("^\\p{RGI_Emoji}$", "v");
const VARIATION_SELECTOR_16 = "\uFE0F";

/**
 * The emoji in its fully-qualified form, or undefined when `text` is not exactly one emoji.
 * A symbol sent without its emoji variation selector (❤ for ❤️, as many keyboards send it)
 * is the same reaction as with it.
 */
export function normaliseEmoji(text: string): string | undefined {
  if (ONE_EMOJI.test(text)) return text;
  const qualified = text + VARIATION_SELECTOR_16;
  if ([...text].length === 1 && ONE_EMOJI.test(qualified)) return qualified;
  return undefined;
}
