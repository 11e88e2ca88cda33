/**
 * The dev mail page (issue 17): mail sent over real SMTP to the dev catcher (scripts/lib/mail-catcher.ts)
 * is listed at /dev/mail and served at /dev/mail/<file>; names that could leave the directory are
 * refused; without the dev mail dir (production) the route does not exist.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPortalApp, type PortalDeps } from '../../component/http/app.js';
import { freePorts } from '../../prosody/ports.js';
import { startMailCatcher } from '../../scripts/lib/mail-catcher.js';

const base: PortalDeps = { deskStates: async () => [], health: async () => ({ redis: true, xmpp: true }) };

async function serve(deps: PortalDeps): Promise<{ url: string; server: Server }> {
  const server = createPortalApp(deps).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('dev mail page', () => {
  const root = mkdtempSync(join(tmpdir(), 'devmail-'));
  const dir = join(root, 'mail');
  let catcher: { stop(): Promise<void> };
  let dev: { url: string; server: Server };
  let prod: { url: string; server: Server };

  beforeAll(async () => {
    mkdirSync(dir);
    writeFileSync(join(root, 'secret.eml'), 'Subject: outside\r\n\r\nnot for the page'); // beside, not in, the mail dir
    const port = (await freePorts(1))[0] as number;
    catcher = await startMailCatcher({ host: '127.0.0.1', port, dir });
    await nodemailer
      .createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true })
      .sendMail({ from: 'desk@example.com', to: 'hana@example.jp', subject: 'ご返信 <reply>', text: 'こんにちは' });
    dev = await serve({ ...base, devMailDir: dir });
    prod = await serve(base);
  });
  afterAll(async () => {
    await catcher?.stop();
    dev?.server.close();
    prod?.server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists each caught mail with its recipient and decoded, escaped subject, linking the .eml as text', async () => {
    const res = await fetch(`${dev.url}/dev/mail`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('hana@example.jp');
    expect(html).toContain('ご返信 &lt;reply&gt;');
    const link = /href="(\/dev\/mail\/[^"]+\.eml)"/.exec(html)?.[1];
    expect(link).toBeDefined();
    const eml = await fetch(`${dev.url}${link}`);
    expect(eml.status).toBe(200);
    expect(eml.headers.get('content-type')).toMatch(/text\/plain/);
    expect(await eml.text()).toMatch(/^To: hana@example\.jp/m);
  });

  it('refuses names that would leave the mail directory, and unknown files', async () => {
    for (const path of ['..%2Fsecret.eml', '%2E%2E%2Fsecret.eml', '..%5Csecret.eml', '.hidden.eml', 'x.txt']) {
      const res = await fetch(`${dev.url}/dev/mail/${path}`);
      expect(res.status, path).toBe(400);
      expect(await res.text()).not.toContain('not for the page');
    }
    expect((await fetch(`${dev.url}/dev/mail/nope-1.eml`)).status).toBe(404);
  });

  it('does not exist without the dev catcher (production)', async () => {
    expect((await fetch(`${prod.url}/dev/mail`)).status).toBe(404);
  });
});
