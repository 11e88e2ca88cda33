/**
 * Replies to left messages (docs/widget-protocol.md §6) come with every <session/> result for
 * 30 days; the widget shows each once and remembers which it showed, in localStorage.
 */
import { readJson, writeJson, type KeyValue } from './storage.js';

export const SEEN_REPLIES_KEY = 'mdg:seen-replies';
const MAX_REMEMBERED = 200;

export const replyKey = (r: { ticket?: number; at?: Date | string; text?: string }) =>
  `${r.ticket ?? ''}|${r.at instanceof Date ? r.at.toISOString() : (r.at ?? '')}|${(r.text ?? '').length}`;

export function createSeenReplies(store: KeyValue) {
  const seen = () => readJson<string[]>(store, SEEN_REPLIES_KEY, []);
  return {
    /** The replies not shown before, marking them as seen. */
    fresh<R extends { ticket?: number; at?: Date | string; text?: string }>(replies: readonly R[]): R[] {
      const known = new Set(seen());
      const out = replies.filter((r) => !known.has(replyKey(r)));
      if (out.length) writeJson(store, SEEN_REPLIES_KEY, [...known, ...out.map(replyKey)].slice(-MAX_REMEMBERED));
      return out;
    },
  };
}
