/**
 * The only way the widget builds DOM: elements with attributes and text nodes. There is
 * no innerHTML anywhere, so text from the desk, operators or the page is never markup.
 */
import { linkify } from './linkify.js';

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child) el.append(child); // strings become text nodes
  return el;
}

/** Message text as text nodes, with http(s) links as <a> opened in a new tab without an opener. */
export function richText(text: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const seg of linkify(text)) {
    frag.append(
      seg.kind === 'link'
        ? h('a', { href: seg.href, target: '_blank', rel: 'noopener noreferrer' }, seg.text)
        : document.createTextNode(seg.text),
    );
  }
  return frag;
}

export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
