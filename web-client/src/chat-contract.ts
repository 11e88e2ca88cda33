/**
 * What the loader (loader-<hash>.js) and the chat chunk (chat-<hash>.js) agree on. A page can hold
 * an old loader after a release (its entry, widget.js, is cached for minutes; a widget.js from
 * before the entry was the loader itself) and then load the newest chunk (loader/chunk.ts falls
 * back to the manifest): so a chunk keeps accepting every `version`
 * of this contract a loader still in caches may speak, and changes here only add optional parts.
 */
import type { DeskPresenceState } from './desk-presence.js';
import type { FieldPreset, HostEvent } from './host-types.js';
import type { createLauncher } from './launcher.js';
import type { WidgetOptions } from './options.js';
import type { KeyValue } from './storage.js';

export const CHAT_CONTRACT_VERSION = 1;
/** Where the chunk puts its module (a classic script: no CORS needed, CSP host rules apply). */
export const CHAT_GLOBAL = '__madoguchiChat';

/** What the loader hands the chunk: where to render, which storage to use, whom to tell. */
export interface ChatShell {
  /** The widget's container in the loader's Shadow DOM (holds the button). */
  frame: HTMLElement;
  root: ShadowRoot;
  launcher: ReturnType<typeof createLauncher>;
  /** Consent-gated stand-ins for localStorage and sessionStorage (loader/gated-storage.ts). */
  local: KeyValue;
  visit: KeyValue;
  /** The desk's state the loader last knew (status stream), so the button does not flicker. */
  desk?: DeskPresenceState;
  presets: Record<string, FieldPreset>;
  emit(event: HostEvent, detail: unknown): void;
}

export interface ChatController {
  toggle(open: boolean): void;
  isOpen(): boolean;
  setFields(presets: Record<string, FieldPreset>): void;
  /** Disconnects and removes the panel (shutdown, or a language change that re-mounts). */
  unmount(): void;
}

export interface ChatModule {
  version: number;
  mount(options: WidgetOptions, shell: ChatShell): ChatController;
}
