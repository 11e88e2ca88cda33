/**
 * Loads the chat chunk (chat-<hash>.js, StanzaJS and the panel) beside widget.js, as a classic
 * script. This loader names the chunk it was built with; after a release that chunk may be gone
 * (a deploy replaced the files while this loader sat in a cache), so when it fails to load the
 * loader asks widget-manifest.json (never cached long) for the current one and loads that.
 */
import { CHAT_GLOBAL, type ChatModule } from '../chat-contract.js';

declare const __MDG_CHAT_CHUNK__: string;

function script(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const el = document.createElement('script');
    el.src = src;
    el.async = true;
    el.onload = () => resolve();
    el.onerror = () => {
      el.remove();
      reject(new Error(`${src} not loaded`));
    };
    document.head.append(el);
  });
}

const loaded = (): ChatModule | undefined => {
  const m = (window as unknown as Record<string, ChatModule | undefined>)[CHAT_GLOBAL];
  return m && typeof m.mount === 'function' ? m : undefined;
};

let pending: Promise<ChatModule> | undefined;

/** `base`: where widget.js came from (chunks are published beside it). */
export function loadChat(base: string): Promise<ChatModule> {
  pending ??= (async () => {
    try {
      await script(new URL(__MDG_CHAT_CHUNK__, base).href);
    } catch {
      const res = await fetch(new URL('widget-manifest.json', base).href, { cache: 'no-cache' });
      const manifest = (await res.json()) as { chat?: unknown };
      if (typeof manifest.chat !== 'string' || !/^chat-[A-Za-z0-9]+\.js$/.test(manifest.chat)) throw new Error('no chat chunk');
      await script(new URL(manifest.chat, base).href);
    }
    const m = loaded();
    if (!m) throw new Error('the chat chunk did not register');
    return m;
  })().catch((err: unknown) => {
    pending = undefined; // a later open tries again
    throw err;
  });
  return pending;
}
