/** The chat panel's CSS (the chunk's), scoped by its Shadow DOM beside LAUNCHER_CSS (the loader's). */
export const WIDGET_CSS = `
.panel { width: 360px; max-width: calc(100vw - 24px); height: min(540px, calc(100vh - 110px)); display: flex;
  flex-direction: column; background: var(--mdg-bg, #fff); border-radius: 14px; overflow: hidden; box-shadow: 0 10px 30px rgba(0,0,0,.3); }
.panel header { display: flex; align-items: flex-start; gap: 8px; padding: 12px 14px; background: var(--mdg-color); color: #fff; }
.panel header .titles { flex: 1; min-width: 0; }
.panel h2 { margin: 0; font-size: 16px; }
.panel .desk-status { margin: 2px 0 0; font-size: 13px; opacity: .92; }
.icon { border: 0; background: transparent; color: #fff; font-size: 20px; line-height: 1; width: 40px; height: 40px;
  border-radius: 8px; cursor: pointer; flex: none; }
.logo { width: 36px; height: 36px; border-radius: 8px; object-fit: contain; background: #fff; flex: none; }
.state-image { max-height: 40px; max-width: 160px; }
.primary { border: 0; border-radius: 8px; background: var(--mdg-color); color: #fff; padding: 10px 14px; cursor: pointer; font-weight: 600; }

.prechat { display: flex; flex-direction: column; gap: 6px; padding: 14px; overflow: auto; }
.prechat label { font-weight: 600; font-size: 14px; margin-top: 6px; }
.prechat input, .prechat textarea, .composer textarea { border: 1px solid #9ca3af; border-radius: 8px; padding: 8px 10px;
  background: #fff; resize: vertical; min-width: 0; }
.prechat .primary { margin-top: 10px; }
.prechat .fields { display: flex; flex-direction: column; gap: 6px; }
.req { font-weight: 400; color: #6b7280; font-size: 12px; }
.form-error { margin: 0; color: #b91c1c; font-size: 14px; }
.form-error:empty { display: none; }
[aria-invalid="true"] { border-color: #b91c1c !important; }
.replies { list-style: none; margin: 0; padding: 8px 14px; display: flex; flex-direction: column; gap: 6px; background: #ecfdf5;
  max-height: 30%; overflow-y: auto; }
.reply .who { display: block; font-size: 12px; font-weight: 600; }
.reply .text { white-space: pre-wrap; overflow-wrap: anywhere; }
.note { margin: 0; padding: 8px 10px; border-radius: 8px; background: #fef3c7; font-size: 14px; }

.chat { display: flex; flex-direction: column; flex: 1; min-height: 0; }
.chat-status { margin: 0; padding: 8px 14px; background: #eef2ff; font-size: 14px; font-weight: 600; }
.log { list-style: none; margin: 0; padding: 10px 14px; flex: 1; overflow-y: auto; display: flex; flex-direction: column; gap: 8px; }
.line { max-width: 85%; padding: 7px 10px; border-radius: 12px; background: #f3f4f6; white-space: pre-wrap;
  overflow-wrap: anywhere; align-self: flex-start; }
.line.me { align-self: flex-end; background: var(--mdg-color); color: #fff; }
.line.me a { color: #fff; }
.line.system { align-self: center; background: transparent; color: #4b5563; font-size: 13px; text-align: center; }
.line .who { display: block; font-size: 12px; font-weight: 600; opacity: .8; }
.line.me .who { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.line a { color: #1d4ed8; text-decoration: underline; }
.typing { margin: 0; min-height: 1.4em; padding: 0 14px; font-size: 13px; color: #4b5563; font-style: italic; }
.composer { display: flex; gap: 8px; padding: 8px 14px; border-top: 1px solid #e5e7eb; }
.composer textarea { flex: 1; resize: none; }
.actions { display: flex; justify-content: space-between; gap: 8px; padding: 0 14px 12px; }
.end { border: 1px solid #b91c1c; color: #b91c1c; background: #fff; border-radius: 8px; padding: 6px 12px; cursor: pointer; }
.line .mark { display: block; font-size: 11px; opacity: .85; text-align: end; }
.line[data-mark="failed"], .line[data-mark="unsent"] { background: #b91c1c; }
.line .retry { margin-inline-start: 6px; font: inherit; font-size: 11px; padding: 0 6px; border-radius: 4px; border: 1px solid currentColor; background: transparent; color: inherit; cursor: pointer; }
.attachment { display: flex; flex-direction: column; gap: 4px; }
.preview { max-width: 100%; max-height: 160px; border-radius: 8px; background: #fff; }
.line.me .file { color: #fff; }
.sticker { width: 96px; height: 96px; object-fit: contain; display: block; }
.line:has(.sticker) { background: transparent; padding: 0; }
.sticker-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(64px, 1fr)); gap: 4px; padding: 8px 14px;
  max-height: 150px; overflow-y: auto; border-top: 1px solid #e5e7eb; }
.sticker-pick { border: 1px solid transparent; background: #fff; border-radius: 8px; padding: 2px; cursor: pointer; }
.sticker-pick:hover, .sticker-pick:focus-visible { border-color: var(--mdg-color); }
.sticker-pick img { width: 56px; height: 56px; display: block; margin: auto; }
.sticker-toggle { font-size: 20px; }
.offline { margin: 0; padding: 4px 14px; background: #fef3c7; font-size: 13px; }
.sneak-peek { margin: 0; padding: 4px 14px; font-size: 12px; color: #92400e; background: #fffbeb; }
.attach { border: 1px solid #9ca3af; background: #fff; color: #374151; border-radius: 8px; width: 40px; cursor: pointer; flex: none;
  display: inline-flex; align-items: center; justify-content: center; }
.icon { display: inline-flex; align-items: center; justify-content: center; }
.attach:disabled { opacity: .4; cursor: default; }
.after { padding: 8px 14px; display: flex; flex-direction: column; gap: 6px; border-top: 1px solid #e5e7eb; }
.rating { display: flex; flex-direction: column; gap: 4px; }
.rating fieldset { border: 0; margin: 0; padding: 0; }
.rating legend { font-weight: 600; padding: 0; }
.stars { display: flex; gap: 2px; }
.star { position: relative; font-size: 26px; color: #d1d5db; cursor: pointer; line-height: 1; padding: 2px; }
.star input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.stars:has(input:checked) .star { color: #f59e0b; }
.star:has(input:checked) ~ .star { color: #d1d5db; }
.star:has(input:focus-visible) { outline: 3px solid #f59e0b; border-radius: 4px; }
.rating textarea { border: 1px solid #9ca3af; border-radius: 8px; padding: 6px 8px; resize: none; }
.rated { margin: 0; font-weight: 600; }
.transcript, .email-transcript { border: 1px solid #9ca3af; background: #fff; border-radius: 8px; padding: 6px 12px; cursor: pointer; align-self: flex-start; }
@media (max-width: 400px) { .mdg { right: 8px; bottom: 8px; } .mdg[data-position="left"] { left: 8px; } .panel { height: calc(100vh - 90px); } }
`;
