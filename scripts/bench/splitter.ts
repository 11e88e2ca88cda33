/**
 * Cuts an XMPP c2s byte stream into top-level stanza strings without parsing them.
 * Relies on what Prosody sends: no comments, no CDATA, and '>' escaped in text and
 * attribute values (util.stanza escapes it), so '<' … '>' always delimits a tag.
 * Cost: one indexOf per tag; stanzas come out as (cheap) string slices.
 */
export interface SplitterEvents {
  header(raw: string): void;
  stanza(raw: string): void;
  close(): void;
}

export function createSplitter(on: SplitterEvents) {
  let buf = '';
  let pos = 0;
  let depth = 0;
  let start = -1;

  return function push(chunk: string): void {
    buf = pos === 0 && buf.length === 0 ? chunk : buf + chunk;
    for (;;) {
      const lt = buf.indexOf('<', pos);
      if (lt === -1) {
        pos = buf.length;
        break;
      }
      const gt = buf.indexOf('>', lt + 1);
      if (gt === -1) {
        pos = lt;
        break;
      }
      const c = buf.charCodeAt(lt + 1);
      if (c === 63 /* ? */ || c === 33 /* ! */) {
        // XML declaration (comments and CDATA are never sent)
      } else if (c === 47 /* / */) {
        if (depth === 0)
          on.close(); // </stream:stream>
        else if (--depth === 0) {
          on.stanza(buf.slice(start, gt + 1));
          start = -1;
        }
      } else if (depth === 0 && buf.startsWith('stream:stream', lt + 1)) {
        on.header(buf.slice(lt, gt + 1));
      } else {
        const selfClosing = buf.charCodeAt(gt - 1) === 47;
        if (depth === 0) start = lt;
        if (!selfClosing) depth++;
        else if (depth === 0) {
          on.stanza(buf.slice(lt, gt + 1));
          start = -1;
        }
      }
      pos = gt + 1;
    }
    // Keep only what is still needed: the unfinished stanza, or the unfinished tag.
    const keepFrom = start >= 0 ? start : pos;
    if (keepFrom > 0) {
      buf = buf.slice(keepFrom);
      pos -= keepFrom;
      if (start >= 0) start = 0;
    }
  };
}
