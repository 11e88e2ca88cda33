/**
 * Loads the Lua transitions (one file per transition, `name-<numkeys>.lua`) as ioredis
 * commands. ioredis sends EVALSHA and falls back to EVAL, so a Redis restart is harmless.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

const LUA_DIR = new URL('./lua/', import.meta.url);

export type ScriptName =
  | 'enqueue' | 'customerMessage' | 'assignNext' | 'endSession' | 'requeueOperator' | 'operatorPresence' | 'transfer' | 'requeueTicket' | 'lookupMasked' | 'attachCustomer' | 'rememberOriginId';

const camel = (kebab: string) => kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** `--- @include "name"` pulls in lua/includes/<name>.lua (BullMQ's way): helpers several transitions share. */
const INCLUDE = /^--- @include "([a-z-]+)"$/gm;
const withIncludes = (lua: string) => lua.replace(INCLUDE, (_, name: string) => readFileSync(new URL(`includes/${name}.lua`, LUA_DIR), 'utf8'));

export function defineScripts(redis: Redis): void {
  for (const file of readdirSync(LUA_DIR)) {
    const match = /^(.+)-(\d+)\.lua$/.exec(file);
    if (!match) continue;
    redis.defineCommand(camel(match[1] as string), {
      numberOfKeys: Number(match[2]),
      lua: withIncludes(readFileSync(new URL(file, LUA_DIR), 'utf8')),
    });
  }
}

/** Transitions that keep the desks' operator aggregates (lua/includes/operator-loads.lua). */
export type AggregateScriptName = 'assignReady' | 'syncOperator' | 'setOperatorMax' | 'queuePositions';

type ScriptReply = unknown;
/** Calls a defined script; typed loosely here, narrowed by the store. */
export function runScript(redis: Redis, name: ScriptName | AggregateScriptName, keys: string[], args: (string | number)[]): Promise<ScriptReply> {
  const fn = (redis as unknown as Record<string, (...a: (string | number)[]) => Promise<ScriptReply>>)[name];
  if (!fn) throw new Error(`Lua script ${name} is not defined`);
  return fn.call(redis, ...keys, ...args);
}
