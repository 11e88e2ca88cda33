/**
 * Operator commands are chat messages beginning with `!` (DESIGN §2). `!!text`
 * escapes: it sends `!text` to the customer as an ordinary message.
 */
export const COMMAND_NAMES = [
  'help',
  'queue',
  'pick',
  'end',
  'transfer',
  'max',
  'canned',
  'canned-set',
  'canned-del',
  'info',
  'note',
  'staff',
  'stats',
  'ban',
  'unban',
  'bans',
  'hours',
  'monitor',
  'whisper',
  'takeover',
  'peek',
  'tickets',
  'reply',
  'closed',
  'sticker',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export type ParsedInput =
  | { kind: 'text'; body: string }
  | { kind: 'command'; name: CommandName; args: string }
  | { kind: 'unknown-command'; name: string };

/** A command (or an unknown one), as opposed to text for the customer (`!!text` is text). */
export const isOperatorCommand = (body: string): boolean => parseOperatorInput(body).kind !== 'text';

export function parseOperatorInput(body: string): ParsedInput {
  if (!body.startsWith('!')) return { kind: 'text', body };
  if (body.startsWith('!!')) return { kind: 'text', body: body.slice(1) };
  const match = /^!(\S*)\s*([\s\S]*)$/.exec(body);
  const name = (match?.[1] ?? '').toLowerCase();
  const args = (match?.[2] ?? '').trim();
  return (COMMAND_NAMES as readonly string[]).includes(name)
    ? { kind: 'command', name: name as CommandName, args }
    : { kind: 'unknown-command', name };
}
