/**
 * widget.js entry (bundled by esbuild into one IIFE). Reads the options from its own
 * <script> tag's data-* attributes and mounts the widget once the page has a body.
 */
import { readOptions } from './options.js';
import { createWidget } from './widget.js';

const script = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;

function boot(): void {
  const src = script?.src ? new URL(script.src, location.href) : undefined;
  const options = readOptions({ ...(script?.dataset ?? {}) }, document.documentElement.lang, src?.href ?? location.href);
  // The form's fields come from the portal that served widget.js, unless data-portal says otherwise.
  if (!options.portalUrl && src && /^https?:$/.test(src.protocol)) options.portalUrl = src.origin;
  if (document.querySelector(`[data-madoguchi="${options.deskJid}"]`)) return; // pasted twice
  createWidget(options).mount(document.body);
}

if (document.body) boot();
else document.addEventListener('DOMContentLoaded', boot, { once: true });
