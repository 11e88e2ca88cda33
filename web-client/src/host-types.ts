/**
 * The host page's vocabulary (README "Host-page API"), shared by the loader and the chat chunk;
 * no DOM here, so unit tests can import it.
 */
export type HostEvent = 'unread' | 'state' | 'open' | 'close' | 'chat-ended';

/** A pre-chat field pre-filled (`value`) and/or hidden from the form (`hidden`), by Madoguchi.setFields(). */
export interface FieldPreset {
  value?: string;
  hidden?: boolean;
}

/** The visitor's state as `Madoguchi.on('state', cb)` reports it. */
export interface HostState {
  /** The desk as the button shows it; `connecting` until known. */
  mode: 'open' | 'busy' | 'closed' | 'connecting';
  waiting?: number;
  minutes?: number;
  opensAt?: string;
  /** The visitor's chat: idle (none), joining, waiting, chatting, ended, left-message. */
  phase: string;
}
