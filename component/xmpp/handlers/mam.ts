/**
 * XEP-0313 Message Archive Management on desk and masked JIDs: parses the query (XEP-0004
 * form, XEP-0059 set), asks the archive service, answers with one <message/> per result
 * (XEP-0297 forwarded, with the archive time as XEP-0203 delay) and then the IQ result
 * carrying <fin/> and the RSM page. Only `set` queries exist in mam:2 (§4); a `get` on the
 * query element is the form request (§4.1.1), answered with the fields we filter on.
 * References: https://xmpp.org/extensions/xep-0313.html, https://xmpp.org/extensions/xep-0059.html,
 *             https://xmpp.org/extensions/xep-0297.html, https://xmpp.org/extensions/xep-0203.html
 */
import { MAM_FORM_TYPE, MamQueryError, parseMamQuery, type MamPage, type MamRequest } from '../../../src/evidence/mam-query.js';
import type { MamItem, MamService } from '../../evidence/mam.js';
import { NS_DATA, NS_DELAY, NS_FORWARD, NS_MAM, NS_RSM } from '../../protocol/namespaces.js';
import { iqResult, StanzaFailure } from '../../protocol/stanzas.js';
import { parseXml, xml, type Element } from '../../protocol/xml.js';

const textOf = (el: Element | undefined) => (el ? el.getText() : undefined);

/** The query element → the pure request (form fields and the RSM set). */
export function mamRequest(query: Element): MamRequest {
  const form = query.getChild('x', NS_DATA);
  const set = query.getChild('set', NS_RSM);
  const req: MamRequest = {};
  if (form) {
    if (form.attrs.type !== 'submit') throw new MamQueryError('bad-request', 'the form must be of type submit');
    req.fields = form
      .getChildren('field')
      .map((f) => ({ var: String(f.attrs.var ?? ''), values: f.getChildren('value').map((v) => v.getText()) }));
  }
  if (set) {
    req.rsm = {};
    for (const name of ['max', 'after', 'before'] as const) {
      const el = set.getChild(name);
      if (el) req.rsm[name] = textOf(el) ?? '';
    }
  }
  return req;
}

function forwarded(archive: string, to: string, queryid: string | undefined, item: MamItem): Element {
  const recorded = parseXml(item.stanza);
  const inner = xml(
    'message',
    { xmlns: 'jabber:client', from: item.from, to: item.to, type: 'chat', id: recorded.attrs.id },
    ...recorded.getChildElements(),
  );
  return xml(
    'message',
    { from: archive, to, id: `mam-${item.seq}` },
    xml(
      'result',
      { xmlns: NS_MAM, queryid, id: String(item.seq) },
      xml('forwarded', { xmlns: NS_FORWARD }, xml('delay', { xmlns: NS_DELAY, stamp: new Date(item.at).toISOString() }), inner),
    ),
  );
}

function fin(page: MamPage<MamItem>): Element {
  const set = xml('set', { xmlns: NS_RSM });
  const first = page.items[0];
  const last = page.items[page.items.length - 1];
  if (first && last) {
    set.append(xml('first', { index: String(page.firstIndex) }, String(first.seq)));
    set.append(xml('last', {}, String(last.seq)));
  }
  set.append(xml('count', {}, String(page.count)));
  return xml('fin', { xmlns: NS_MAM, complete: page.complete ? 'true' : undefined }, set);
}

const FORM = () =>
  xml(
    'query',
    { xmlns: NS_MAM },
    xml(
      'x',
      { xmlns: NS_DATA, type: 'form' },
      xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, MAM_FORM_TYPE)),
      xml('field', { var: 'with', type: 'jid-single' }),
      xml('field', { var: 'start', type: 'text-single' }),
      xml('field', { var: 'end', type: 'text-single' }),
    ),
  );

/** The stanzas answering one MAM IQ, in order (results, then the IQ result). */
export async function handleMam(service: MamService, iq: Element, target: { desk: string } | { masked: string }): Promise<Element[]> {
  const query = iq.getChild('query', NS_MAM) as Element;
  if (iq.attrs.type === 'get') return [iqResult(iq, FORM())];
  const from = String(iq.attrs.from);
  const archive = String(iq.attrs.to).split('/')[0] as string;
  let page: MamPage<MamItem>;
  try {
    const q = parseMamQuery(mamRequest(query));
    page = 'desk' in target ? await service.desk(from, target.desk, q) : await service.chat(from, target.masked, q);
  } catch (err) {
    if (err instanceof MamQueryError) {
      throw new StanzaFailure({ type: err.condition === 'bad-request' ? 'modify' : 'cancel', condition: err.condition, text: err.message });
    }
    throw err;
  }
  const queryid = query.attrs.queryid ? String(query.attrs.queryid) : undefined;
  return [...page.items.map((item) => forwarded(archive, from, queryid, item)), iqResult(iq, fin(page))];
}
