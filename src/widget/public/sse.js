// Server-sent events over fetch: EventSource cannot POST, so the stream is read and parsed here.
// Follows the WHATWG event-stream rules that matter for our server: lines end in LF, CR or CRLF
// (a CRLF may be split across chunks), `event:` names the event, `data:` lines are joined with
// LF, a blank line dispatches, `:` lines are comments, and an unfinished event at the end of the
// stream is dropped.

/**
 * Creates an incremental parser. Feed it decoded text with `push` in whatever pieces the
 * network delivers; `onEvent({event, data})` runs once per complete event.
 * @param {(message: {event: string, data: string}) => void} onEvent
 */
export function createSseParser(onEvent) {
  let buffer = '';
  let eventName = '';
  /** @type {string[]} */
  let dataLines = [];

  function dispatch() {
    if (dataLines.length > 0) onEvent({ event: eventName || 'message', data: dataLines.join('\n') });
    eventName = '';
    dataLines = [];
  }

  /** @param {string} line */
  function processLine(line) {
    if (line === '') {
      dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') eventName = value;
    else if (field === 'data') dataLines.push(value);
  }

  return {
    /** @param {string} text */
    push(text) {
      buffer += text;
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        if (!match) break;
        // A CR at the very end may be the first half of a CRLF still in flight.
        if (match[0] === '\r' && match.index === buffer.length - 1) break;
        processLine(buffer.slice(0, match.index));
        buffer = buffer.slice(match.index + match[0].length);
      }
    },
    /** Call when the stream ends: a trailing lone CR still ends a line; a half event is dropped. */
    end() {
      if (buffer.endsWith('\r')) processLine(buffer.slice(0, -1));
      buffer = '';
      eventName = '';
      dataLines = [];
    },
  };
}

/**
 * Reads a fetch Response body as server-sent events, calling `onEvent` with each parsed event
 * (data already JSON-decoded; undecodable data is passed as null).
 * @param {ReadableStream<Uint8Array>} body
 * @param {(event: string, data: unknown) => void} onEvent
 */
export async function readSseStream(body, onEvent) {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parser = createSseParser(({ event, data }) => {
    let parsed = null;
    try {
      parsed = JSON.parse(data);
    } catch {
      parsed = null;
    }
    onEvent(event, parsed);
  });
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    // stream: true keeps a multi-byte character split across chunks intact.
    parser.push(decoder.decode(value, { stream: true }));
  }
  parser.push(decoder.decode());
  parser.end();
}
