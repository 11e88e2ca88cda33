/**
 * The widget's built-in look (issue 20, contract 5), served by GET /api/widget/look until the
 * admin settings give one: the widget's own defaults, so a page looks the same either way. The
 * button's per-state labels are left out, so the widget says them in the visitor's language.
 */
import type { WidgetLook } from '../services/admin/admin-types.js';

export const DEFAULT_WIDGET_LOOK: WidgetLook = {
  title: 'Chat with us',
  titleJa: 'チャットで問い合わせ',
  colors: { primary: '#1d4ed8', background: '#ffffff', text: '#111827' },
  position: 'bottom-right',
  button: { open: {}, busy: {}, closed: {} },
};
