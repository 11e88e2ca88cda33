// Minimal types for @xmpp/client 0.13 (no bundled types), as the tests use it.
declare module '@xmpp/client' {
  import type { EventEmitter } from 'node:events';
  import type { Element } from '@xmpp/xml';
  export interface Client extends EventEmitter {
    start(): Promise<{ toString(): string }>;
    stop(): Promise<void>;
    send(el: Element): Promise<void>;
    iqCaller: { request(el: Element, timeout?: number): Promise<Element> };
    iqCallee: {
      get(
        ns: string,
        name: string,
        handler: (ctx: { stanza: Element; element: Element }) => Element | boolean | Promise<Element | boolean>,
      ): void;
      set(
        ns: string,
        name: string,
        handler: (ctx: { stanza: Element; element: Element }) => Element | boolean | Promise<Element | boolean>,
      ): void;
    };
    status: string;
  }
  export function client(options: { service: string; domain: string; username?: string; password?: string; resource?: string }): Client;
  export function xml(
    name: string,
    attrs?: Record<string, string | undefined> | null,
    ...children: (Element | string | undefined)[]
  ): Element;
}
