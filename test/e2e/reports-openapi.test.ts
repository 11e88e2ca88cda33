/**
 * The OpenAPI description the portal serves (GET /api/openapi.json, issue 18) checked for
 * structure — every operation's parameters and responses, every $ref resolved, the security
 * schemes named — and held to what the portal does: each secured path answers 401 without a
 * token, 403 to an operator's console session asking outside its scope, 200 to that session's own
 * query and to an admin token, and each of those statuses is one the description lists.
 * (No OpenAPI validator is a dependency; this checks the parts the portal's description uses.)
 */
import type { Element } from '@xmpp/xml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adhoc, NS_COMMANDS } from '../support/adhoc.js';
import { ADMIN_TOKEN, DOMAIN, startStack, type Stack } from '../support/stack.js';

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Problems in an OpenAPI 3.1 document (empty when none), for the parts used here. */
function problemsOf(spec: Json): string[] {
  const out: string[] = [];
  const obj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (typeof spec.openapi !== 'string' || !/^3\.1\.\d+$/.test(spec.openapi)) out.push('openapi: 3.1.x expected');
  const info = spec.info as Json | undefined;
  if (!obj(info) || typeof info.title !== 'string' || typeof info.version !== 'string') out.push('info: title and version');
  const schemes = ((spec.components as Json | undefined)?.securitySchemes ?? {}) as Json;
  for (const [name, s] of Object.entries(schemes)) {
    if (!obj(s) || !['http', 'apiKey', 'oauth2', 'openIdConnect', 'mutualTLS'].includes(String(s.type)))
      out.push(`securitySchemes.${name}: type`);
    else if (s.type === 'http' && typeof s.scheme !== 'string') out.push(`securitySchemes.${name}: scheme`);
  }
  const checkSecurity = (where: string, sec: unknown) => {
    if (sec === undefined) return;
    if (!Array.isArray(sec)) return void out.push(`${where}.security: array`);
    for (const req of sec) for (const k of Object.keys(req as Json)) if (!(k in schemes)) out.push(`${where}.security: no scheme ${k}`);
  };
  checkSecurity('root', spec.security);
  // Every $ref resolves inside the document.
  const walk = (v: unknown, at: string): void => {
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, `${at}[${i}]`);
      return;
    }
    if (!obj(v)) return;
    if (typeof v.$ref === 'string') {
      const target = v.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((node, key) => (obj(node) ? node[key] : undefined), spec);
      if (!v.$ref.startsWith('#/') || target === undefined) out.push(`${at}: $ref ${v.$ref} does not resolve`);
    }
    for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
  };
  walk(spec, '#');
  const paths = spec.paths as Json;
  if (!obj(paths) || Object.keys(paths).length === 0) out.push('paths: none');
  for (const [path, item] of Object.entries(paths ?? {})) {
    if (!path.startsWith('/')) out.push(`${path}: must start with /`);
    for (const [method, op] of Object.entries(item as Json)) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!METHODS.includes(method) || !obj(op)) {
        out.push(`${where}: not an operation`);
        continue;
      }
      for (const p of (op.parameters ?? []) as Json[]) {
        if (typeof p.name !== 'string' || !['query', 'header', 'path', 'cookie'].includes(String(p.in)))
          out.push(`${where}: parameter name/in`);
        if (p.in === 'path' && p.required !== true) out.push(`${where}: path parameter ${p.name} must be required`);
        if (!obj(p.schema)) out.push(`${where}: parameter ${p.name} has no schema`);
      }
      const responses = op.responses as Json | undefined;
      if (!obj(responses) || Object.keys(responses).length === 0) out.push(`${where}: no responses`);
      for (const [code, r] of Object.entries(responses ?? {})) {
        if (!/^([1-5](\d\d|XX)|default)$/.test(code)) out.push(`${where}: response code ${code}`);
        if (!obj(r) || typeof r.description !== 'string') out.push(`${where} ${code}: description`);
        for (const [type, media] of Object.entries(((r as Json).content ?? {}) as Json))
          if (!obj((media as Json).schema)) out.push(`${where} ${code} ${type}: schema`);
      }
      const body = op.requestBody as Json | undefined;
      if (body !== undefined && (!obj(body.content) || Object.keys(body.content).length === 0)) out.push(`${where}: requestBody content`);
      checkSecurity(where, op.security);
      const secured = (op.security ?? spec.security ?? []) as Json[];
      if (secured.length > 0)
        for (const code of ['401', '403']) if (!responses?.[code]) out.push(`${where}: secured, no ${code} documented`);
    }
  }
  return out;
}

describe('the served OpenAPI description', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.stop());

  it('is well formed, and the statuses the portal answers are the ones it documents', async () => {
    const spec = (await (await fetch(`${stack.httpUrl}/api/openapi.json`)).json()) as Json;
    expect(problemsOf(spec)).toEqual([]);
    // A broken document is caught (the check can fail).
    expect(
      problemsOf({
        ...spec,
        paths: { '/x': { get: { parameters: [{ name: 'a', in: 'path', schema: { $ref: '#/nope' } }], responses: {} } } },
      }),
    ).toEqual([
      '#.paths./x.get.parameters[0].schema: $ref #/nope does not resolve',
      'GET /x: path parameter a must be required',
      'GET /x: no responses',
      'GET /x: secured, no 401 documented',
      'GET /x: secured, no 403 documented',
    ]);
    const schemes = Object.keys(((spec.components as Json).securitySchemes ?? {}) as Json);
    expect(schemes).toEqual(['admin', 'console']);
    expect(spec.security).toEqual([{ admin: [] }, { console: [] }]);

    // Bob (operator) signs in as the console does: a console-session token over XMPP.
    const bob = await stack.operator('bob', 'api');
    const iq = await adhoc(bob, DOMAIN, 'console-session');
    const token =
      (iq.getChild('command', NS_COMMANDS)?.getChild('x', 'jabber:x:data')?.getChildren('field') ?? [])
        .find((f: Element) => f.attrs.var === 'token')
        ?.getChildText('value') ?? '';
    expect(token).not.toBe('');
    const today = new Date().toISOString().slice(0, 10);
    const paths = spec.paths as Record<string, Record<string, { security?: unknown[]; responses: Json }>>;
    const secured = Object.entries(paths).filter(
      ([, item]) => ((item.get?.security ?? (item.get && spec.security)) as unknown[] | undefined)?.length,
    );
    expect(secured.map(([p]) => p)).toEqual(['/api/reports', '/api/reports/chats.csv', '/api/reports.csv']);
    for (const [path, item] of secured) {
      const documented = Object.keys(item.get?.responses ?? {});
      const status = async (query: string, bearer?: string) =>
        (await fetch(`${stack.httpUrl}${path}?from=${today}${query}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} }))
          .status;
      const seen = {
        none: await status(''),
        outside: await status('&desk=support', token),
        own: await status('', token),
        admin: await status('&desk=support', ADMIN_TOKEN),
        bad: await status('&by=week', ADMIN_TOKEN),
      };
      expect(seen, path).toEqual({ none: 401, outside: 403, own: 200, admin: 200, bad: 400 });
      for (const code of Object.values(seen)) expect(documented, `${path} answers ${code}`).toContain(String(code));
    }
    await bob.stop();
  });
});
