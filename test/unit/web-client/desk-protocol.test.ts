import { createClient, JXT } from 'stanza';
import { describe, expect, it } from 'vitest';
import { DESK_PROTOCOL, JOIN_FORM_TYPE } from '../../../web-client/src/protocol/index.js';

const client = createClient({});
client.stanzas.define(DESK_PROTOCOL);
const out = (kind: 'iq' | 'message', data: object) => client.stanzas.export(kind, data)!.toString();
// biome-ignore lint/suspicious/noExplicitAny: the tests read whatever shape StanzaJS imported
const read = (xml: string) => client.stanzas.import(JXT.parse(xml)) as Record<string, any>;
const NS = "xmlns='urn:madoguchi:desk:0'";

describe('desk protocol payloads (StanzaJS definitions)', () => {
  it('writes <session/> and reads its status and replies', () => {
    expect(out('iq', { type: 'set', id: 's1', to: 'support@support.localhost', deskSession: { token: 'abc' } })).toContain(
      '<session xmlns="urn:madoguchi:desk:0" token="abc"/>',
    );
    const r = read(
      `<iq xmlns='jabber:client' type='result' id='s1'><session ${NS}><status ticket='7' state='active' operator='Alice'/>` +
        `<reply ticket='5' at='2026-11-22T06:00:00Z' operator='Alice'>Shipped.</reply><reply ticket='6' operator='Bob'>Two</reply></session></iq>`,
    );
    expect(r.deskSession.status).toEqual({ ticket: 7, state: 'active', operator: 'Alice' });
    expect(r.deskSession.replies.map((x: { text: string }) => x.text)).toEqual(['Shipped.', 'Two']);
    expect(r.deskSession.replies[0].at.toISOString()).toBe('2026-11-22T06:00:00.000Z');
  });

  it('writes <join/> with a submitted data form and the page views', () => {
    const xml = out('iq', {
      type: 'set',
      id: 'j1',
      deskJoin: {
        form: {
          type: 'submit',
          fields: [
            { type: 'hidden', name: 'FORM_TYPE', value: JOIN_FORM_TYPE },
            { name: 'name', value: 'Yuki' },
            { name: 'question', value: 'line one\nline two' },
          ],
        },
        pages: [{ url: 'https://shop.example/', title: 'Shop', at: new Date('2026-11-22T05:58:00Z') }],
      },
    });
    expect(xml).toContain('<join xmlns="urn:madoguchi:desk:0"><x xmlns="jabber:x:data" type="submit">');
    expect(xml).toContain('<field var="name"><value>Yuki</value></field>');
    expect(xml).toContain('<value>line one\nline two</value>');
    expect(xml).toContain('<pages><page url="https://shop.example/" title="Shop" at="2026-11-22T05:58:00.000Z"/></pages>');
  });

  it('reads <status/> in messages and IQ results, <ack/> and <reply/>', () => {
    const m = read(
      `<message xmlns='jabber:client' from='support@support.localhost'><body>Ticket #7</body>` +
        `<status ${NS} ticket='7' state='waiting' position='2' wait='180'/><ack ${NS} id='o1'/></message>`,
    );
    expect(m.deskStatus).toEqual({ ticket: 7, state: 'waiting', position: 2, wait: 180 });
    expect(m.deskAck).toEqual({ id: 'o1' });
    const iq = read(`<iq xmlns='jabber:client' type='result' id='j1'><status ${NS} ticket='7' state='ended' reason='customer'/></iq>`);
    expect(iq.deskStatus).toEqual({ ticket: 7, state: 'ended', reason: 'customer' });
    const reply = read(`<message xmlns='jabber:client'><reply ${NS} ticket='12' operator='Alice'>Done</reply></message>`);
    expect(reply.deskReply).toEqual({ ticket: 12, operator: 'Alice', text: 'Done' });
  });

  it('writes <page/>, <leave-message/>, <transcript/>, <rate/> and reads a transcript and <offline/>', () => {
    expect(out('iq', { type: 'set', id: 'p', deskPage: { url: 'https://s/', title: 'S' } })).toContain(
      '<page xmlns="urn:madoguchi:desk:0" url="https://s/" title="S"/>',
    );
    expect(
      out('iq', { type: 'set', id: 'l', deskLeaveMessage: { form: { type: 'submit', fields: [{ name: 'question', value: 'hi' }] } } }),
    ).toContain(
      '<leave-message xmlns="urn:madoguchi:desk:0"><x xmlns="jabber:x:data" type="submit"><field var="question"><value>hi</value>',
    );
    expect(out('iq', { type: 'get', id: 't', deskTranscript: { ticket: 7 } })).toContain(
      '<transcript xmlns="urn:madoguchi:desk:0" ticket="7"/>',
    );
    expect(out('iq', { type: 'set', id: 'r', deskRate: { ticket: 7, score: 4, comment: 'Quick & kind' } })).toContain(
      '<rate xmlns="urn:madoguchi:desk:0" ticket="7" score="4">Quick &amp; kind</rate>',
    );
    const t = read(
      `<iq xmlns='jabber:client' type='result' id='t'><transcript ${NS} ticket='7' desk='support'>` +
        `<line at='2026-11-22T06:00:00Z' from='customer' id='o1'>hi</line><line from='operator' name='Alice' id='s9'>hello</line></transcript></iq>`,
    );
    expect(t.deskTranscript.lines).toMatchObject([
      { from: 'customer', id: 'o1', text: 'hi' },
      { from: 'operator', name: 'Alice', text: 'hello' },
    ]);
    expect(read(`<iq xmlns='jabber:client' type='result' id='l'><offline ${NS} ticket='12'/></iq>`).deskOffline).toEqual({ ticket: 12 });
  });
});
