/**
 * The store's Lua transitions (lua/, one file per transition) and how the store parts run them.
 * Each script is declared beside the store call that runs it, with its reply's decoder and
 * whether it may change a route (the chat behind a masked JID or a customer: its state,
 * operator, customer address or monitors): a script that may is run inside the route guard,
 * so the route cache can never serve a route it changed (route-guard.ts).
 */
import type { Redis } from 'ioredis';
import { luaScript, runLua, type LuaScript } from '../lib/redis-scripts.js';
import type { Keys } from './keys.js';
import type { RouteGuard } from './route-guard.js';
import { FAILURE_PRELUDE } from './script-failures.js';

const LUA_DIR = new URL('./lua/', import.meta.url);

export interface StoreScript<R> extends LuaScript<R> {
  readonly changesRoutes: boolean;
}

export function storeScript<R>(file: string, effect: { changesRoutes: boolean }, decode: (reply: unknown) => R): StoreScript<R> {
  return { ...luaScript(LUA_DIR, file, { decode, prelude: FAILURE_PRELUDE, namespace: 'madoguchi' }), changesRoutes: effect.changesRoutes };
}

export interface StoreOptions {
  endedRetentionSeconds: number;
  defaultAvgHandleMs: number;
  maxBufferedMessages: number;
}

/** What each store part is built from. */
export interface StorePartContext {
  redis: Redis;
  keys: Keys;
  prefix: string;
  options: StoreOptions;
  routes: RouteGuard;
  run<R>(script: StoreScript<R>, keys: readonly string[], args: readonly (string | number)[]): Promise<R>;
}

export function createStorePartContext(redis: Redis, keys: Keys, options: StoreOptions, routes: RouteGuard): StorePartContext {
  return {
    redis,
    keys,
    prefix: keys.prefix,
    options,
    routes,
    run(script, scriptKeys, args) {
      const run = () => runLua(redis, script, scriptKeys, args);
      return script.changesRoutes ? routes.changing(run) : run();
    },
  };
}
