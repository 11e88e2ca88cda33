/**
 * Loads the Lua transitions (one file per transition, `name-<numkeys>.lua`) as ioredis
 * commands. ioredis sends EVALSHA and falls back to EVAL, so a Redis restart is harmless.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

const LUA_DIR = new URL('./lua/', import.meta.url);

export type ScriptName =
  | 'enqueue' | 'customerMessage' | 'assignNext' | 'endSession' | 'requeueOperator' | 'operatorPresence' | 'transfer' | 'requeueTicket' | 'lookupMasked' | 'attachCustomer';

const camel = (kebab: string) => kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function defineScripts(redis: Redis): void {
  for (const file of readdirSync(LUA_DIR)) {
    const match = /^(.+)-(\d+)\.lua$/.exec(file);
    if (!match) continue;
    redis.defineCommand(camel(match[1] as string), {
      numberOfKeys: Number(match[2]),
      lua: readFileSync(new URL(file, LUA_DIR), 'utf8'),
    });
  }
}

type ScriptReply = unknown;
/** Calls a defined script; typed loosely here, narrowed by the store. */
export function runScript(redis: Redis, name: ScriptName, keys: string[], args: (string | number)[]): Promise<ScriptReply> {
  const fn = (redis as unknown as Record<string, (...a: (string | number)[]) => Promise<ScriptReply>>)[name];
  if (!fn) throw new Error(`Lua script ${name} is not defined`);
  return fn.call(redis, ...keys, ...args);
}
