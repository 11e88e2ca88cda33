/**
 * Lua scripts as typed Redis commands (BullMQ's way): one file per transition, named
 * `name-<number of keys>.lua`, loaded with ioredis's defineCommand (EVALSHA, falling back to
 * EVAL, so a Redis restart is harmless). Each script carries the decoder of its reply: the one
 * place where the reply's shape is checked, so callers get typed values and never cast.
 */
import { readFileSync } from 'node:fs';
import type { ChainableCommander, Redis } from 'ioredis';

export interface LuaScript<R> {
  /** The ioredis command name: the file's name in camelCase, with a namespace. */
  readonly command: string;
  readonly numberOfKeys: number;
  readonly source: string;
  readonly decode: (reply: unknown) => R;
}

/** `--- @include "name"` pulls in includes/<name>.lua beside the script: helpers several transitions share. */
const INCLUDE = /^--- @include "([a-z-]+)"$/gm;
const camel = (kebab: string) => kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export interface ScriptOptions<R> {
  decode: (reply: unknown) => R;
  /** Lua put before the script's own (constants shared with TypeScript). */
  prelude?: string;
  /** The command's namespace, so two script sets cannot collide on one connection. */
  namespace: string;
}

export function luaScript<R>(dir: URL, file: string, opts: ScriptOptions<R>): LuaScript<R> {
  const match = /^(.+)-(\d+)\.lua$/.exec(file);
  if (!match) throw new Error(`Lua script ${file} is not named <name>-<number of keys>.lua`);
  const withIncludes = (lua: string) =>
    lua.replace(INCLUDE, (_, name: string) => readFileSync(new URL(`includes/${name}.lua`, dir), 'utf8'));
  return {
    command: `${opts.namespace}${camel(`-${match[1]}`)}`,
    numberOfKeys: Number(match[2]),
    source: (opts.prelude ?? '') + withIncludes(readFileSync(new URL(file, dir), 'utf8')),
    decode: opts.decode,
  };
}

type Command = (...args: (string | number | Buffer)[]) => Promise<unknown>;

/** Runs a script (defining it on this connection the first time) and decodes its reply. */
export async function runLua<R>(
  redis: Redis,
  script: LuaScript<R>,
  keys: readonly string[],
  args: readonly (string | number | Buffer)[],
): Promise<R> {
  const command = defined(redis, script, keys);
  return script.decode(await command.call(redis, ...keys, ...args));
}

function defined(redis: Redis, script: LuaScript<unknown>, keys: readonly unknown[]): Command {
  if (keys.length !== script.numberOfKeys) throw new Error(`${script.command} takes ${script.numberOfKeys} keys, got ${keys.length}`);
  const commands = redis as unknown as Record<string, Command | undefined>;
  if (!commands[script.command]) redis.defineCommand(script.command, { numberOfKeys: script.numberOfKeys, lua: script.source });
  return commands[script.command] as Command;
}

/**
 * A MULTI (or pipeline) of `redis` that can queue these scripts: a script queued with the rest
 * of a MULTI runs in the same transaction. Its reply is in exec()'s, undecoded.
 */
export function multiWith(redis: Redis, scripts: readonly LuaScript<unknown>[]): ChainableCommander & Record<string, Command> {
  for (const s of scripts) defined(redis, s, Array.from({ length: s.numberOfKeys }));
  return redis.multi() as ChainableCommander & Record<string, Command>;
}

/** Reply shapes, checked: a script that replies something else is a bug, reported by name. */
export class ScriptReplyError extends Error {
  constructor(what: string, reply: unknown) {
    super(`unexpected Lua reply (${what}): ${JSON.stringify(reply)?.slice(0, 200)}`);
  }
}

export const reply = {
  array(r: unknown, what: string): unknown[] {
    if (!Array.isArray(r)) throw new ScriptReplyError(what, r);
    return r;
  },
  number(r: unknown, what: string): number {
    const n = typeof r === 'number' ? r : typeof r === 'string' && r !== '' ? Number(r) : Number.NaN;
    if (!Number.isFinite(n)) throw new ScriptReplyError(what, r);
    return n;
  },
  string(r: unknown, what: string): string {
    if (typeof r === 'string') return r;
    if (typeof r === 'number') return String(r);
    throw new ScriptReplyError(what, r);
  },
  strings(r: unknown, what: string): string[] {
    return reply.array(r, what).map((v) => reply.string(v, what));
  },
  /** A flat HGETALL-style list from `from` on, as an object. */
  hash(r: unknown, what: string, from = 0): Record<string, string> {
    const flat = reply.array(r, what);
    const h: Record<string, string> = {};
    for (let i = from; i + 1 < flat.length; i += 2) h[reply.string(flat[i], what)] = reply.string(flat[i + 1], what);
    return h;
  },
};
