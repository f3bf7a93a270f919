// Lengths as the lexicons count them (maxGraphemes): user-perceived characters.
// Pure: shared by the client, the CLI and the web app's browser code.

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The number of user-perceived characters (grapheme clusters). */
export const graphemeLength = (text: string): number => [...segmenter.segment(text)].length;

/** At most `max` graphemes; a cut text ends with "…" (counted in the limit). */
export function truncateGraphemes(text: string, max: number): string {
  const graphemes = [...segmenter.segment(text)].map((s) => s.segment);
  if (graphemes.length <= max) return text;
  return `${graphemes
    .slice(0, max - 1)
    .join("")
    .trimEnd()}…`;
}
