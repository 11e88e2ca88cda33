/**
 * The customer's chat states while chatting (XEP-0085 §5): `composing` once when typing
 * starts, `paused` after a few idle seconds, back to `active` when the message is sent.
 * References: https://xmpp.org/extensions/xep-0085.html
 */
import type { ChatState } from './desk-link.js';

export function createTypingNotifier(send: (state: ChatState) => void, pauseMs = 5000) {
  let state: ChatState = 'active';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const clear = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  return {
    /** The draft changed; an empty draft counts as not typing. */
    input(draft: string): void {
      clear();
      if (draft.trim() === '') {
        if (state === 'composing') send((state = 'active'));
        return;
      }
      if (state !== 'composing') send((state = 'composing'));
      timer = setTimeout(() => send((state = 'paused')), pauseMs);
    },
    /** The message carrying `active` went out. */
    sent(): void {
      clear();
      state = 'active';
    },
    reset(): void {
      clear();
      state = 'active';
    },
  };
}
