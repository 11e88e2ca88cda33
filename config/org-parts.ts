/**
 * Leaf schemas of the organisational settings (issue 16) that config/schema.ts (the YAML seed)
 * and config/org-schema.ts (the live entities) share. No import of schema.ts: it imports these.
 */
import { z } from 'zod';

const text = z.string().min(1).max(2000);
const localized = z.strictObject({ en: text.optional(), ja: text.optional() });

/** Per-desk texts overriding the built-in ones (src/texts.ts); see README "Live settings". */
export const deskTexts = z.strictObject({
  welcome: localized.optional(),
  busy: localized.optional(),
  closed: localized.optional(),
  ended: localized.optional(),
});

const color = z.string().regex(/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i, 'expected a colour like #1d4ed8');
/** An https: URL, or a path on the portal (/assets/…); never javascript:, data: or another scheme. */
const imageUrl = z
  .string()
  .max(2000)
  .regex(/^(?:https:\/\/\S+|\/(?!\/)\S*)$/, 'expected an https: URL or a path on the portal such as /assets/button.png');
const buttonLook = z.strictObject({
  label: z.string().min(1).max(80).optional(),
  labelJa: z.string().min(1).max(80).optional(),
  imageUrl: imageUrl.optional(),
});

export const DEFAULT_LOOK = {
  title: 'Chat with us',
  titleJa: 'チャットでお問い合わせ',
  colors: { primary: '#1d4ed8', background: '#ffffff', text: '#111827' },
  position: 'bottom-right' as const,
  button: {
    open: { label: 'Chat with us', labelJa: 'チャットで相談' },
    busy: { label: 'Busy', labelJa: '混雑中' },
    closed: { label: 'Closed', labelJa: '受付時間外' },
  },
};

/** The widget's appearance (admin-types.ts WidgetLook), served at /api/widget/look. */
export const widgetLook = z.strictObject({
  title: z.string().min(1).max(80),
  titleJa: z.string().min(1).max(80).optional(),
  colors: z.strictObject({ primary: color, background: color, text: color }),
  logoUrl: imageUrl.optional(),
  position: z.enum(['bottom-right', 'bottom-left']),
  button: z.strictObject({ open: buttonLook, busy: buttonLook, closed: buttonLook }),
});
