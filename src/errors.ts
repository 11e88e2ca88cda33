/**
 * Expected failures of the domain. Each code maps to exactly one stanza error
 * in component/xmpp/error-table.ts (Prosody's way: a table, not ad-hoc strings).
 */
export type DomainErrorCode =
  | 'unknown-desk'
  | 'unknown-session'
  | 'not-your-session'
  | 'not-an-operator'
  | 'body-too-long'
  | 'bad-command'
  | 'invalid-transition'
  | 'operator-full'
  | 'storage-unavailable'
  | 'not-supported'
  | 'bad-request'
  | 'invalid-form'
  | 'no-customer-session'
  | 'desk-closed'
  | 'unknown-ticket'
  | 'not-implemented'
  | 'limit-reached'
  /** Administration (issue 16): the actor's live role does not allow it. */
  | 'forbidden'
  /** Administration: the entity changed since the caller read it (optimistic locking). */
  | 'conflict';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (err: unknown): err is DomainError => err instanceof DomainError;
