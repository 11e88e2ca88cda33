/**
 * The console's calls to /api/admin/* (component/http/admin-routes.ts): the bearer token only, no
 * cookies (credentials: 'omit'). A refusal becomes an ApiError with the HTTP status and, for a
 * 400, the field the server named; 409 means someone else changed the entity first.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'PUT' | 'POST' | 'DELETE', path: string, body: unknown): Promise<T>;
  /** A non-JSON answer (CSV) as a Blob, with the same bearer token. */
  blob(path: string): Promise<Blob>;
}

export function createApi(token: () => string, onUnauthorized: () => void): Api {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(path, {
      method,
      credentials: 'omit',
      headers: { Authorization: `Bearer ${token()}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = (await res.json().catch(() => ({}))) as { error?: string; field?: string };
    if (res.status === 401) onUnauthorized();
    if (!res.ok) throw new ApiError(res.status, data.error ?? res.statusText, data.field);
    return data as T;
  }
  return {
    get: (path) => call('GET', path),
    send: (method, path, body) => call(method, path, body),
    async blob(path) {
      const res = await fetch(path, { credentials: 'omit', headers: { Authorization: `Bearer ${token()}` } });
      if (res.status === 401) onUnauthorized();
      if (!res.ok) throw new ApiError(res.status, res.statusText);
      return res.blob();
    },
  };
}

/** /api/admin/org/<kind>/<id> */
export const orgPath = (kind: string, id?: string) => `/api/admin/org/${kind}${id === undefined ? '' : `/${encodeURIComponent(id)}`}`;
