/**
 * Every refusal a store transition can reply, one negative number each across all scripts.
 * The Lua gets them as `FAIL.<name>` (prepended to each script by store-scripts.ts), so the
 * numbers live here only; each maps to one DomainError code (and so to one stanza error).
 */
import { DomainError, type DomainErrorCode } from '../../src/errors.js';

export const SCRIPT_FAILURES = {
  /** The ticket is no longer where the caller saw it (head of the queue, or waiting at all). */
  headChanged: -1,
  /** The operator does not take customers now (away, offline). */
  operatorUnavailable: -2,
  /** The operator has no free slot. */
  operatorFull: -3,
  ticketMissing: -4,
  alreadyEnded: -5,
  /** Not the caller's active chat. */
  notYours: -6,
  /** An offline message: answered by !reply, never assigned or ended as a chat. */
  notAChat: -7,
  /** A transfer to the chat's own operator. */
  sameOperator: -8,
} as const;

export type ScriptFailure = keyof typeof SCRIPT_FAILURES;

const BY_CODE = new Map<number, ScriptFailure>(Object.entries(SCRIPT_FAILURES).map(([name, code]) => [code, name as ScriptFailure]));

/** The script's refusal, if the reply is one of the codes above. */
export const failureOf = (reply: unknown): ScriptFailure | undefined => (typeof reply === 'number' ? BY_CODE.get(reply) : undefined);

/** Lua put before every store script: `local FAIL = { headChanged = -1, ... }`. */
export const FAILURE_PRELUDE = `local FAIL = { ${Object.entries(SCRIPT_FAILURES)
  .map(([k, v]) => `${k} = ${v}`)
  .join(', ')} }\n`;

const DOMAIN_CODES: Record<ScriptFailure, DomainErrorCode> = {
  headChanged: 'unknown-session',
  operatorUnavailable: 'operator-full',
  operatorFull: 'operator-full',
  ticketMissing: 'unknown-session',
  alreadyEnded: 'unknown-session',
  notYours: 'not-your-session',
  notAChat: 'unknown-session',
  sameOperator: 'bad-command',
};

/** The DomainError for a refusal, with the caller's words for people. */
export const failureError = (failure: ScriptFailure, message: string): DomainError => new DomainError(DOMAIN_CODES[failure], message);

/** A store call's outcome: the value, or the script's refusal. */
export type Outcome<T> = ({ ok: true } & T) | { ok: false; failure: ScriptFailure };
