// Minimal types for @xmpp/component-core 0.13 (CommonJS, ships no types).
declare module '@xmpp/component-core' {
  import type { EventEmitter } from 'node:events';
  import type { Socket } from 'node:net';
  import type { Element } from '@xmpp/xml';

  export class Component extends EventEmitter {
    constructor(options: { service: string; domain: string });
    status: string;
    /** Stream open, close and handshake timeout (ms; default 2000). */
    timeout: number;
    socket: Socket | null;
    options: { service: string; domain: string; lang?: string };
    jid: { toString(): string } | null;
    connect(service: string): Promise<void>;
    open(options: { domain: string; lang?: string }): Promise<Element>;
    authenticate(id: string, password: string): Promise<void>;
    send(element: Element): Promise<void>;
    write(text: string): Promise<void>;
    stop(): Promise<void>;
    disconnect(timeout?: number): Promise<void>;
  }
  export function xml(name: string, attrs?: Record<string, string | undefined> | null, ...children: unknown[]): Element;
}
