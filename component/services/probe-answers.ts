/**
 * Which operators have answered the desk's presence probes since a (re)connection.
 * RFC 6121 §4.3.2: a server SHOULD answer a probe for an account with no available resource with
 * `unavailable`. Prosody does; ejabberd 23.01 sends nothing, so an operator who went offline
 * while the component was away would look available forever. An operator subscribed to a desk
 * who has sent no presence within `answerMs` of the probe is therefore taken as gone, which is
 * what Prosody's answer says (their chats then wait out the grace period as usual).
 * References: https://www.rfc-editor.org/rfc/rfc6121#section-4.3.2
 */
export function createProbeAnswers(answerMs: number) {
  let round: { at: number; waiting: Set<string> } | undefined;
  return {
    /** The probes went out now to these operators (bare JIDs). */
    expect(operators: Iterable<string>, now: number): void {
      round = { at: now, waiting: new Set(operators) };
    },
    /** Any presence from the operator answers (available or not). */
    heard(operator: string): void {
      round?.waiting.delete(operator);
    },
    /** Once `answerMs` has passed: those who never answered, once. */
    unanswered(now: number): string[] {
      if (!round || now - round.at < answerMs) return [];
      const gone = [...round.waiting];
      round = undefined;
      return gone;
    },
  };
}
export type ProbeAnswers = ReturnType<typeof createProbeAnswers>;
