import { describe, expect, it } from 'vitest';
import { createProbeAnswers } from '../../component/services/probe-answers.js';

describe('presence probe answers (ejabberd answers no probe for an offline account)', () => {
  it('names, once and only after the wait, the operators who sent no presence since the probe', () => {
    const answers = createProbeAnswers(5000);
    answers.expect(['alice@localhost', 'bob@localhost', 'carol@localhost'], 1000);
    answers.heard('alice@localhost'); // available: her server answered
    answers.heard('carol@localhost'); // unavailable (Prosody's answer) counts too
    expect(answers.unanswered(5999)).toEqual([]);
    expect(answers.unanswered(6000)).toEqual(['bob@localhost']);
    expect(answers.unanswered(9000)).toEqual([]);
  });

  it('a new round (another reconnection) replaces the old one', () => {
    const answers = createProbeAnswers(5000);
    answers.expect(['alice@localhost'], 0);
    answers.expect(['bob@localhost'], 3000);
    expect(answers.unanswered(5000)).toEqual([]);
    expect(answers.unanswered(8000)).toEqual(['bob@localhost']);
  });
});
