/**
 * The button's look from the portal (GET /api/widget/look, the admin settings' widget/default):
 * title, colors, logo, position and per-state label or image. What the site wrote in the tag
 * (data-title, data-color, …) wins; the look fills the rest. Everything is validated as the
 * tag's attributes are (options.ts), so no value can inject CSS or markup.
 */
import { safeUrl, type ButtonMode, type WidgetOptions } from '../options.js';

interface ButtonLook {
  label?: string;
  labelJa?: string;
  imageUrl?: string;
}
export interface WidgetLookJson {
  title?: string;
  titleJa?: string;
  colors?: { primary?: string; background?: string; text?: string };
  logoUrl?: string;
  position?: string;
  button?: Partial<Record<ButtonMode, ButtonLook>>;
}

const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const WAIT_MS = 1500;
const str = (v: unknown, max: number) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : undefined);
const color = (v: unknown) => (typeof v === 'string' && COLOR.test(v) ? v : undefined);

/** The look, or undefined when the portal does not answer in time. */
export async function fetchLook(portal: string, desk: string): Promise<WidgetLookJson | undefined> {
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), WAIT_MS));
  const look = fetch(`${portal}/api/widget/look?desk=${encodeURIComponent(desk)}`)
    .then((res) => (res.ok ? (res.json() as Promise<WidgetLookJson>) : undefined))
    .catch(() => undefined);
  return Promise.race([look, timeout]);
}

/** Fills `options` from the look where the tag said nothing (`data`: the tag's dataset); returns the panel's colors. */
export function applyLook(options: WidgetOptions, data: Record<string, string | undefined>, look: WidgetLookJson, base: string) {
  const ja = options.lang === 'ja';
  const title = str(ja ? (look.titleJa ?? look.title) : look.title, 60);
  if (!data.title && title) options.title = title;
  if (!data.color) options.color = color(look.colors?.primary) ?? options.color;
  if (!data.position && look.position) options.position = look.position === 'bottom-left' ? 'left' : 'right';
  const logo = safeUrl(look.logoUrl, base);
  if (!data.logo && logo) options.logo = logo;
  for (const mode of ['open', 'busy', 'closed'] as const) {
    const b = look.button?.[mode];
    const label = str(ja ? (b?.labelJa ?? b?.label) : b?.label, 40);
    const image = safeUrl(b?.imageUrl, base);
    if (label && !options.labels[mode]) options.labels[mode] = label;
    if (image && !options.images[mode]) options.images[mode] = image;
  }
  return { background: color(look.colors?.background), text: color(look.colors?.text) };
}
