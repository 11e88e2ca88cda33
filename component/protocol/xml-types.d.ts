// Minimal types for @xmpp/xml 0.13 / ltx 3 (CommonJS builds, no bundled types).
declare module '@xmpp/xml' {
  export type Node = Element | string;
  export class Element {
    constructor(name: string, attrs?: Record<string, string | undefined>);
    name: string;
    attrs: Record<string, string | undefined>;
    children: Node[];
    parent: Element | null;
    is(name: string, xmlns?: string): boolean;
    getName(): string;
    getNS(): string | undefined;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildElements(): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    getText(): string;
    text(): string;
    c(name: string, attrs?: Record<string, string | undefined>): Element;
    t(text: string): Element;
    up(): Element;
    root(): Element;
    append(...nodes: Node[]): Element;
    remove(el: Element | string, xmlns?: string): Element;
    toString(): string;
  }
  function xml(name: string, attrs?: Record<string, string | undefined> | null, ...children: (Node | Node[] | undefined)[]): Element;
  namespace xml {
    export { Element };
  }
  export default xml;
}
declare module 'ltx/lib/parse.js' {
  import type { Element } from '@xmpp/xml';
  const parse: (text: string) => Element;
  export = parse;
}
