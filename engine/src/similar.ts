/** "Did you mean …?": the closest candidate by edit distance, ignoring case. */

/**
 * Three rows of the distance table, reused by every call (they grow to the longest word seen):
 * suggestions run over a whole service's actions, and a new array per row was most of their cost.
 */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/**
 * Levenshtein distance with adjacent transpositions (kafak → kafka is one edit). With a
 * limit, only the band of the table within `limit` of its diagonal is filled: a cell off it
 * is more than `limit` edits away, so it is taken as limit + 1, which changes no result up to
 * the limit (a path through such a cell costs more). Suggestions run over a whole service's
 * actions, mostly the first time a check meets a name, before the code is optimized: the band
 * (at most 7 cells a row) costs a fifth of the table for names of 30 letters.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  if (rowA.length < cols + 1) {
    rowA = new Int32Array(cols * 2);
    rowB = new Int32Array(cols * 2);
    rowC = new Int32Array(cols * 2);
  }
  const beyond = limit + 1;
  let previousPrevious = rowA;
  let previous = rowB;
  let current = rowC;
  const firstHigh = Math.min(cols - 1, limit);
  for (let j = 0; j <= firstHigh; j++) previous[j] = j;
  if (firstHigh + 1 < cols) previous[firstHigh + 1] = beyond;
  for (let i = 1; i < rows; i++) {
    const low = Math.max(1, i - limit);
    const high = Math.min(cols - 1, i + limit);
    current[0] = i;
    if (low > 1) current[low - 1] = beyond;
    let rowMin = low === 1 ? i : beyond;
    const charA = a.charCodeAt(i - 1);
    for (let j = low; j <= high; j++) {
      const charB = b.charCodeAt(j - 1);
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (charA === charB ? 0 : 1));
      if (i > 1 && j > 1 && charA === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === charB) value = Math.min(value, previousPrevious[j - 2] + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (high + 1 < cols) current[high + 1] = beyond;
    if (rowMin > limit) return beyond;
    const spare = previousPrevious;
    previousPrevious = previous;
    previous = current;
    current = spare;
  }
  return previous[cols - 1];
}

/**
 * The candidate closest to `word` (case-insensitive), if within `maxDistance` edits (by
 * default a third of the word's length, at least 1, at most 3). Ties go to the first.
 */
export function closest(word: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  const lower = word.toLowerCase();
  const limit = maxDistance ?? Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase(), bestDistance - 1 < limit ? bestDistance - 1 : limit);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      if (distance === 0) break;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
