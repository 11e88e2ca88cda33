/**
 * After the chat: a 1–5 rating with an optional comment (<rate/>, docs/widget-protocol.md §8),
 * radio buttons so it works with the keyboard and screen readers; and the transcript download.
 */
import { h, setText } from './dom.js';
import type { Strings } from './i18n.js';
import type { WidgetState } from './widget-state.js';

const COMMENT_MAX = 1000;

export function createRatingView(
  strings: Strings,
  actions: { rate(score: number, comment: string): void; transcript(): void; emailTranscript(): void },
) {
  const stars = [1, 2, 3, 4, 5].map((n) => {
    const input = h('input', { type: 'radio', name: 'mdg-score', value: String(n), id: `mdg-score-${n}` });
    return {
      input,
      label: h(
        'label',
        { for: `mdg-score-${n}`, class: 'star', title: strings.rateStar(n) },
        input,
        h('span', { 'aria-hidden': 'true' }, '★'),
        h('span', { class: 'sr-only' }, strings.rateStar(n)),
      ),
    };
  });
  const comment = h('textarea', { id: 'mdg-rate-comment', rows: '2', maxlength: String(COMMENT_MAX) });
  const send = h('button', { type: 'submit', class: 'primary' }, strings.rateSend);
  const thanks = h('p', { class: 'rated', role: 'status' });
  const form = h(
    'form',
    { class: 'rating' },
    h('fieldset', {}, h('legend', {}, strings.rateTitle), h('div', { class: 'stars' }, ...stars.map((s) => s.label))),
    h('label', { for: 'mdg-rate-comment' }, strings.rateComment),
    comment,
    send,
  );
  const transcript = h('button', { type: 'button', class: 'transcript' }, strings.transcript);
  const mailTranscript = h('button', { type: 'button', class: 'email-transcript' }, strings.emailTranscript);
  const el = h('div', { class: 'after' }, form, thanks, transcript, mailTranscript);

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const score = Number(stars.find((s) => s.input.checked)?.input.value ?? 0);
    if (!score) return stars[0]?.input.focus();
    actions.rate(score, comment.value.trim());
  });
  transcript.addEventListener('click', () => actions.transcript());
  mailTranscript.addEventListener('click', () => {
    mailTranscript.disabled = true; // one mail per click; the desk says when it is on its way
    actions.emailTranscript();
  });

  return {
    el,
    render(s: WidgetState): void {
      el.hidden = s.phase !== 'ended' || s.ticket === undefined;
      form.hidden = s.rated !== undefined;
      setText(thanks, s.rated !== undefined ? strings.rateThanks(s.rated) : '');
      thanks.hidden = s.rated === undefined;
      mailTranscript.hidden = !s.emailGiven;
      if (s.phase !== 'ended') mailTranscript.disabled = false;
    },
  };
}
