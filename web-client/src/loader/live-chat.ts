/**
 * Whether this browser has a chat going on at the desk (read only: reading stores nothing), so
 * the loader loads the chat chunk at once instead of waiting for a click: a live ticket, a join
 * the desk may not have answered yet, or a message left for the desk whose reply is still due
 * (replies are kept 30 days, docs/widget-protocol.md §6). The keys are the chat chunk's
 * (desk-session.ts, join-flow.ts, widget.ts).
 */
import { readJson, type KeyValue } from '../storage.js';

const LIVE = ['joining', 'waiting', 'chatting'];
export const REPLY_DAYS = 30;

export const leftKey = (deskJid: string) => `mdg:left:${deskJid}`;

export function chatInProgress(local: KeyValue, deskJid: string, now = Date.now()): boolean {
  const chat = readJson<{ phase?: unknown }>(local, `mdg:chat:${deskJid}`, {});
  if (typeof chat?.phase === 'string' && LIVE.includes(chat.phase)) return true;
  if (local.getItem(`mdg:join:${deskJid}`) !== null) return true;
  const left = readJson<{ at?: unknown }[]>(local, leftKey(deskJid), []);
  return Array.isArray(left) && left.some((l) => typeof l?.at === 'number' && now - l.at < REPLY_DAYS * 86_400_000);
}
