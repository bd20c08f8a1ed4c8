import { extractFigures } from './figure-guard.js';
import type { Figure } from './response.js';

/** A sentence of an answer and where its figures come from (`tool:<name>`, `kb:<id>`; none: the user's). */
export interface Line {
  text: string;
  source?: string;
}

/** Every figure of the lines with the source of the line it is in, each once. */
export function figuresOf(lines: readonly Line[]): Figure[] {
  const figures: Figure[] = [];
  for (const line of lines) {
    for (const f of extractFigures(line.text)) {
      const text = f.raw.trim();
      const source = line.source ?? 'user';
      if (!figures.some((x) => x.text === text && x.source === source)) figures.push({ text, source });
    }
  }
  return figures;
}
