// Word error rate: (substitutions + deletions + insertions) / words in the reference, from a
// word-level Levenshtein alignment. Both texts are normalised first (lower case, punctuation
// dropped except apostrophes inside words, whitespace collapsed), so "Price," matches "price".

export interface WordErrorRate {
  /** 0 = identical; can exceed 1 when the hypothesis has many extra words. */
  wer: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  referenceWords: number;
  hypothesisWords: number;
}

export function normaliseWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s-]/gu, " ")
    .replace(/(^|\s)['-]+|['-]+(?=\s|$)/g, " ")
    .split(/\s+/)
    .filter(Boolean);
}

export function wordErrorRate(reference: string, hypothesis: string): WordErrorRate {
  const ref = normaliseWords(reference);
  const hyp = normaliseWords(hypothesis);
  // cost[j] with (substitutions, deletions, insertions) carried along for the report.
  type Cell = { cost: number; s: number; d: number; i: number };
  let previous: Cell[] = hyp.map((_, j) => ({ cost: j + 1, s: 0, d: 0, i: j + 1 }));
  previous.unshift({ cost: 0, s: 0, d: 0, i: 0 });
  for (let r = 1; r <= ref.length; r++) {
    const current: Cell[] = [{ cost: r, s: 0, d: r, i: 0 }];
    for (let h = 1; h <= hyp.length; h++) {
      const diagonal = previous[h - 1] as Cell;
      const up = previous[h] as Cell;
      const left = current[h - 1] as Cell;
      const same = ref[r - 1] === hyp[h - 1];
      const candidates: Cell[] = [
        { ...diagonal, cost: diagonal.cost + (same ? 0 : 1), s: diagonal.s + (same ? 0 : 1) },
        { ...up, cost: up.cost + 1, d: up.d + 1 },
        { ...left, cost: left.cost + 1, i: left.i + 1 },
      ];
      current.push(candidates.reduce((best, cell) => (cell.cost < best.cost ? cell : best)));
    }
    previous = current;
  }
  const last = previous[hyp.length] as Cell;
  return {
    wer: ref.length === 0 ? (hyp.length === 0 ? 0 : 1) : last.cost / ref.length,
    substitutions: last.s,
    deletions: last.d,
    insertions: last.i,
    referenceWords: ref.length,
    hypothesisWords: hyp.length,
  };
}
