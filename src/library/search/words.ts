/**
 * Lower-case words without accents. Apostrophes vanish as in engine/labels' normalizeTerm ("lady's" → ladys),
 * so queries meet names in the same form; other punctuation separates words ("jack-o'-lantern" → jack o lantern).
 */
export function normalizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/['’‘`]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}
