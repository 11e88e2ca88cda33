/**
 * The dev mail page on the real stack (issue 17): the component started with MADOGUCHI_DEV_MAIL_DIR,
 * as scripts/stack.ts starts it beside its SMTP catcher, lists the mail it sent to that catcher at
 * /dev/mail and refuses a path out of the directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import { freePorts } from '../../prosody/ports.js';
import { startMailCatcher } from '../../scripts/lib/mail-catcher.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';

const NS = 'urn:madoguchi:desk:0';

describe('dev mail page on the real stack', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'devmail-e2e-')), 'mail');
  let catcher: { stop(): Promise<void> };
  let stack: Stack;
  beforeAll(async () => {
    const port = (await freePorts(1))[0] as number;
    catcher = await startMailCatcher({ host: '127.0.0.1', port, dir });
    process.env.MADOGUCHI_DEV_MAIL_DIR = dir; // the component inherits this worker's environment (test/support/stack.ts)
    try {
      stack = await startStack({
        mail: { host: '127.0.0.1', port, tls: 'none', from: 'desk@example.com', notify: { support: ['staff@example.com'] } },
      });
    } finally {
      delete process.env.MADOGUCHI_DEV_MAIL_DIR;
    }
  });
  afterAll(async () => {
    await stack?.stop();
    await catcher?.stop();
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('a message left while closed is mailed to the catcher and listed at /dev/mail; traversal is refused', async () => {
    const c = await stack.customer();
    await c.iq(SUPPORT, 'set', xml('session', { xmlns: NS, token: 'devmailA-0123456789abcdefgh' }));
    const form = xml(
      'x',
      { xmlns: 'jabber:x:data', type: 'submit' },
      xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, `${NS}#join`)),
      xml('field', { var: 'name' }, xml('value', {}, 'Mio')),
      xml('field', { var: 'question' }, xml('value', {}, 'Where is my parcel?')),
    );
    const left = await c.iq(SUPPORT, 'set', xml('leave-message', { xmlns: NS }, form));
    const ticket = left.getChild('offline', NS)?.attrs.ticket;
    let html = '';
    for (let i = 0; i < 100 && !html.includes(`#${ticket}`); i++) {
      await new Promise((r) => setTimeout(r, 100));
      html = await (await fetch(`${stack.httpUrl}/dev/mail`)).text();
    }
    expect(html).toContain(`[Support] Message #${ticket} from Mio`);
    expect(html).toContain('staff@example.com');
    const link = /href="(\/dev\/mail\/[^"]+\.eml)"/.exec(html)?.[1];
    expect(await (await fetch(`${stack.httpUrl}${link}`)).text()).toContain('Where is my parcel?');
    expect((await fetch(`${stack.httpUrl}/dev/mail/..%2F..%2Fconfig.yaml`)).status).toBe(400);
  });
});
