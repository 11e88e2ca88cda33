/**
 * The loader's CSS (widget.js): the frame and the button, scoped by the widget's Shadow DOM.
 * `--mdg-color` is the accent, `--mdg-bg` and `--mdg-text` the panel's colors (all validated).
 */
export const LAUNCHER_CSS = `
:host { all: initial; }
.mdg { --gap: 12px; font: 15px/1.4 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", sans-serif;
  color: var(--mdg-text, #111827); position: fixed; bottom: 16px; right: 16px; z-index: 2147483000;
  display: flex; flex-direction: column; align-items: flex-end; gap: var(--gap); max-width: calc(100vw - 24px); }
.mdg[data-position="left"] { right: auto; left: 16px; align-items: flex-start; }
[hidden] { display: none !important; }
button, input, textarea { font: inherit; color: inherit; }
input, textarea { font-size: 16px; } /* no zoom-on-focus on phones */
:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

.launcher { display: inline-flex; align-items: center; gap: 10px; min-height: 48px; padding: 8px 18px 8px 14px;
  border: 0; border-radius: 24px; background: var(--mdg-color); color: #fff; cursor: pointer;
  box-shadow: 0 4px 14px rgba(0,0,0,.25); max-width: 100%; text-align: start; }
.launcher .text { display: flex; flex-direction: column; }
.launcher .label { font-weight: 600; }
.launcher .detail { font-size: 13px; opacity: .9; }
.dot { width: 12px; height: 12px; border-radius: 50%; background: #9ca3af; border: 2px solid #fff; flex: none; }
.launcher[data-mode="open"] .dot { background: #22c55e; }
.launcher[data-mode="busy"] .dot { background: #f59e0b; }
.launcher[data-mode="closed"] .dot { background: #6b7280; }
.launcher[data-mode="closed"] { background: #4b5563; }
`;
