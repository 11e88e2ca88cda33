/**
 * The admin console at /admin (issue 16): sign in over XMPP (login.ts), then the pages over the
 * bearer-only JSON API. Pages are addressed by the URL's hash (#live, #desks, …), so links,
 * the back button and the keyboard work as usual.
 */
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createApi, ApiError } from './api.js';
import { currentLang, setLang, t, type Word } from './i18n.js';
import { login, LoginError, type ConsoleSession, type XmppLogin } from './login.js';
import { AuditPage } from './pages/audit.js';
import { BansPage } from './pages/bans.js';
import { CannedPage } from './pages/canned.js';
import { DesksPage } from './pages/desks.js';
import { FormsPage } from './pages/forms.js';
import { LivePage } from './pages/live.js';
import { OperatorsPage } from './pages/operators.js';
import { ReportsPage } from './pages/reports.js';
import { RoutingPage } from './pages/routing.js';
import { type SiteConfig, WidgetLookPage } from './pages/widget-look.js';
import { TextInput } from './ui.js';

const PAGES = ['live', 'desks', 'operators', 'canned', 'forms', 'widget', 'routing', 'bans', 'audit', 'reports'] as const;
type Page = (typeof PAGES)[number];
const site = JSON.parse(document.getElementById('console-config')?.textContent ?? '{}') as SiteConfig;
const pageOf = (hash: string): Page => (PAGES as readonly string[]).includes(hash.slice(1)) ? (hash.slice(1) as Page) : 'live';
/** Renew this long before the session ends (it is not sliding: console-sessions.ts). */
const RENEW_BEFORE_MS = 5 * 60_000;

function Login({ onIn }: { onIn: (l: XmppLogin) => void }) {
  const [jid, setJid] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onIn(await login({ jid: jid.trim(), password, websocketUrl: site.websocketUrl, componentDomain: site.componentDomain }));
    } catch (err) {
      const e = err as LoginError;
      setError(e.reason === 'auth' ? t('loginAuth') : e.reason === 'connect' ? t('loginConnect') : t('loginRefused') + e.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <form
        class="card"
        aria-label={t('signIn')}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h1>{t('title')}</h1>
        <p class="muted">{t('loginWhy')}</p>
        <TextInput label={t('jid')} name="jid" type="email" autoComplete="username" required value={jid} onValue={setJid} />
        <TextInput label={t('password')} name="password" type="password" autoComplete="current-password" required value={password} onValue={setPassword} />
        {error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
        <LangToggle />
      </form>
    </main>
  );
}

function LangToggle() {
  const [, redraw] = useState(0);
  return (
    <button
      type="button"
      class="link"
      lang={currentLang() === 'en' ? 'ja' : 'en'}
      onClick={() => {
        setLang(currentLang() === 'en' ? 'ja' : 'en');
        redraw((n) => n + 1);
        window.dispatchEvent(new Event('langchange'));
      }}
    >
      {t('language')}
    </button>
  );
}

function Console({ xmpp, onOut }: { xmpp: XmppLogin; onOut: (why?: string) => void }) {
  const [hashPage, setPage] = useState<Page>(pageOf(location.hash));
  const [role, setRole] = useState<string | undefined>(undefined);
  const session = useRef<ConsoleSession>(xmpp.session);
  const api = useMemo(() => createApi(() => session.current.token, () => onOut()), []);
  useEffect(() => {
    const onHash = () => setPage(pageOf(location.hash));
    window.addEventListener('hashchange', onHash);
    api.get<{ role: string }>('/api/admin/me').then(
      (me) => setRole(me.role),
      (err) => {
        // An operator has no settings to see, only their own reports (docs/reports.md).
        if (err instanceof ApiError && err.status === 403 && xmpp.session.role === 'operator') setRole('operator');
        else onOut(err instanceof ApiError && err.status === 403 ? t('noAccess') : (err as Error).message);
      },
    );
    // Renew the session over the XMPP connection before it ends.
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      const wait = Math.max(10_000, Date.parse(session.current.expires) - Date.now() - RENEW_BEFORE_MS);
      timer = setTimeout(() => {
        xmpp.renew().then(
          (s) => {
            session.current = s;
            schedule();
          },
          () => undefined, // the old token works until it ends; then a 401 asks for a new sign-in
        );
      }, wait);
    };
    schedule();
    return () => {
      clearTimeout(timer);
      window.removeEventListener('hashchange', onHash);
    };
  }, []);
  useEffect(() => {
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [hashPage]);
  if (!role) return <p class="loading">{t('loading')}</p>;
  const readOnly = role !== 'admin';
  // An operator's console has the Reports page only.
  const pages: readonly Page[] = role === 'operator' ? ['reports'] : PAGES;
  const page: Page = pages.includes(hashPage) ? hashPage : 'reports';
  const props = { api, readOnly };
  const signOut = () => {
    void api.send('DELETE', '/api/admin/session', {}).catch(() => undefined);
    onOut();
  };
  return (
    <div class="app">
      <header>
        <span class="brand">{t('title')}</span>
        <nav aria-label="pages">
          {pages.map((p) => (
            <a key={p} href={`#${p}`} aria-current={p === page ? 'page' : undefined}>
              {t(p as Word)}
            </a>
          ))}
        </nav>
        <span class="who">
          {session.current.jid} ({role})
        </span>
        <LangToggle />
        <button type="button" class="secondary small" onClick={signOut}>
          {t('signOut')}
        </button>
      </header>
      <main>
        <h1 tabIndex={-1}>{t(page as Word)}</h1>
        {page === 'live' && <LivePage api={api} />}
        {page === 'desks' && <DesksPage {...props} />}
        {page === 'operators' && <OperatorsPage {...props} />}
        {page === 'canned' && <CannedPage {...props} />}
        {page === 'forms' && <FormsPage {...props} />}
        {page === 'widget' && <WidgetLookPage {...props} site={site} />}
        {page === 'routing' && <RoutingPage {...props} />}
        {page === 'bans' && <BansPage {...props} />}
        {page === 'audit' && <AuditPage api={api} />}
        {page === 'reports' && <ReportsPage api={api} role={role} />}
      </main>
    </div>
  );
}

function App() {
  const [xmpp, setXmpp] = useState<XmppLogin | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [, redraw] = useState(0);
  useEffect(() => {
    document.documentElement.lang = currentLang();
    const onLang = () => redraw((n) => n + 1);
    window.addEventListener('langchange', onLang);
    return () => window.removeEventListener('langchange', onLang);
  }, []);
  if (!xmpp)
    return (
      <>
        {notice && (
          <p class="banner error" role="alert">
            {notice}
          </p>
        )}
        <Login
          onIn={(l) => {
            setNotice(undefined);
            setXmpp(l);
          }}
        />
      </>
    );
  return (
    <Console
      key={xmpp.session.token}
      xmpp={xmpp}
      onOut={(why) => {
        xmpp.close();
        setNotice(why);
        setXmpp(undefined);
      }}
    />
  );
}

render(<App />, document.getElementById('console') as HTMLElement);
