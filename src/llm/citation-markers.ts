/**
 * Citation markers in model text: `[timeline-origin-10-working-days]`, also `【id】` and lists such as
 * `[id-a, id-b]`. Markers are taken out of the reply (the response lists citations separately) and
 * their ids returned, so the engine can check each one against the entries the model was given.
 * Only ids of lower-case letters, digits and hyphens count; any other bracketed text stays as text.
 */

const opening = new Set(['[', '【']);
const closingFor: Record<string, string> = { '[': ']', '【': '】' };
const idPattern = /^[a-z0-9-]+$/;
const separators = /[,，、;；\s]+/;
// Characters that may appear between the brackets of a marker; anything else ends the candidate.
const markerChar = /[a-z0-9\-,，、;；\s]/;
// Longer than any list of a few ids: not a marker, stop holding text back.
const maxMarkerLength = 200;

/**
 * Removes citation markers from text that arrives in pieces. `push` returns the text that is safe to
 * show now; a possible marker is held back until it closes, so a half marker such as "[timel" never
 * leaks. `flush` returns whatever is still held at the end.
 */
export class CitationStripper {
  private held = '';
  private readonly found: string[] = [];

  /** Cited ids seen so far, in order, without repeats. */
  get ids(): string[] {
    return [...this.found];
  }

  push(chunk: string): string {
    let out = '';
    for (const ch of chunk) out += this.take(ch);
    return out;
  }

  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }

  private take(ch: string): string {
    if (!this.held) {
      if (opening.has(ch)) {
        this.held = ch;
        return '';
      }
      return ch;
    }
    const open = this.held[0]!;
    if (ch === closingFor[open]) {
      const ids = this.held.slice(1).trim().split(separators).filter(Boolean);
      const candidate = this.held + ch;
      this.held = '';
      if (ids.length > 0 && ids.every((id) => idPattern.test(id))) {
        for (const id of ids) if (!this.found.includes(id)) this.found.push(id);
        return '';
      }
      return candidate;
    }
    if (markerChar.test(ch) && this.held.length < maxMarkerLength) {
      this.held += ch;
      return '';
    }
    // Not a marker after all: release what was held, then look at this character afresh.
    const released = this.held;
    this.held = '';
    return released + this.take(ch);
  }
}

/** Strips every citation marker from a finished text. */
export function stripCitations(text: string): { text: string; ids: string[] } {
  const stripper = new CitationStripper();
  const out = stripper.push(text) + stripper.flush();
  return { text: out, ids: stripper.ids };
}
