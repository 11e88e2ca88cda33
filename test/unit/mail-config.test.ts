import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError, loadConfig, parseConfig } from '../../config/load.js';

const minimal = (extra: Record<string, unknown> = {}) => ({
  component: { service: 'xmpp://127.0.0.1:5347', domain: 'support.localhost', secret: 's3cret' },
  redis: { url: 'redis://127.0.0.1:6379' },
  desks: [{ id: 'support', name: 'Support' }],
  operators: [{ jid: 'alice@localhost', name: 'Alice', desks: ['support'] }],
  ...extra,
});

function withFile<T>(raw: unknown, fn: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'mdg-mail-config-'));
  try {
    const path = join(dir, 'config.yaml');
    writeFileSync(path, stringify(raw));
    return fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('mail config', () => {
  it('is off without a mail section or SMTP_HOST', () => {
    expect(parseConfig(minimal()).mail).toBeUndefined();
    expect(withFile(minimal(), (path) => loadConfig({ MADOGUCHI_CONFIG: path }).mail)).toBeUndefined();
  });

  it('fills defaults and takes host, port, TLS mode and credentials from the environment', () => {
    const mail = withFile(
      minimal(),
      (path) =>
        loadConfig({
          MADOGUCHI_CONFIG: path,
          SMTP_HOST: 'smtp.example.com',
          SMTP_PORT: '465',
          SMTP_TLS: 'tls',
          SMTP_USER: 'u',
          SMTP_PASSWORD: 'p',
        }).mail,
    );
    expect(mail).toEqual({
      host: 'smtp.example.com',
      port: 465,
      tls: 'tls',
      user: 'u',
      password: 'p',
      from: 'madoguchi@localhost',
      notify: {},
      consentField: 'mail_consent',
      replyHoldSeconds: 10,
      retryBaseSeconds: 30,
      retryMaxSeconds: 3600,
      giveUpSeconds: 172800,
    });
  });

  it('refuses credentials in the file, unknown desks and bad addresses, naming the field', () => {
    expect(() => withFile(minimal({ mail: { host: 'h', password: 'secret' } }), (path) => loadConfig({ MADOGUCHI_CONFIG: path }))).toThrow(
      new ConfigError('mail.password: set SMTP_PASSWORD in the environment, not in the config file'),
    );
    expect(() => parseConfig(minimal({ mail: { host: 'h', notify: { nope: ['a@b.example'] } } }))).toThrow(
      /mail\.notify\.nope: unknown desk "nope"/,
    );
    expect(() => parseConfig(minimal({ mail: { host: 'h', notify: { support: ['not an address'] } } }))).toThrow(
      /mail\.notify\.support\.0: expected an email address/,
    );
    expect(() => parseConfig(minimal({ mail: { host: 'h', tls: 'maybe' } }))).toThrow(/mail\.tls/);
  });

  it('accepts a checkbox field in the pre-chat form', () => {
    const cfg = parseConfig(minimal({ widget: { form: [{ var: 'mail_consent', label: 'Email me', type: 'checkbox' }] } }));
    expect(cfg.widget.form[0]?.type).toBe('checkbox');
  });
});

describe('the dev config (npm start) and mail', () => {
  it('its pre-chat form has the consent checkbox the mail settings name, so customers can get mail in dev', () => {
    const config = loadConfig({});
    const consent = config.mail?.consentField;
    expect(consent).toBe('mail_consent');
    expect(config.widget.form.find((f) => f.var === consent)).toMatchObject({ type: 'checkbox', label: 'Email me the answer' });
    expect(config.widget.form.map((f) => f.var)).toEqual(['name', 'email', 'question', 'mail_consent']);
  });
});
