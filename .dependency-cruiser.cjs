/**
 * The rooms of the component and which way their imports point (docs/architecture.md).
 * `npm test` runs `depcruise` with this file; a forbidden import fails the suite.
 */
const room = (path) => `^component/${path}/`;
const forbid = (name, comment, from, to) => ({ name, comment, severity: 'error', from: { path: from }, to: { path: to } });

module.exports = {
  forbidden: [
    forbid('pure-core', 'src/ is the pure core: no I/O libraries and nothing of the process',
      '^src/', ['^component/', '^config/', '^scripts/', '^prosody/', '^ejabberd/', '^test/', '^node_modules/(ioredis|@xmpp|express|stanza|pino)/']),
    forbid('lib-is-generic', 'component/lib/ holds generic helpers with no domain knowledge',
      room('lib'), ['^component/(?!lib/)', '^src/', '^config/']),
    forbid('protocol-is-vocabulary', 'component/protocol/ builds XML; it knows no behaviour, state or transport',
      room('protocol'), [room('xmpp'), room('services'), room('store'), room('evidence'), room('http'), '^component/app\\.ts$']),
    forbid('store-is-state', 'component/store/ is state and its rules: it calls no service and speaks no XMPP',
      room('store'), [room('xmpp'), room('services'), room('http'), room('evidence'), room('protocol')]),
    forbid('evidence-below-services', 'component/evidence/ is used by services and handlers, never the other way',
      room('evidence'), [room('xmpp'), room('services'), room('http')]),
    forbid('services-below-faces', 'services/ is behaviour: the inbound faces (xmpp/, http/) call it, it never calls them',
      room('services'), [room('xmpp'), room('http'), '^component/app\\.ts$']),
    forbid('metrics-below-root', 'component/metrics/ is built by app.ts; it reads services and evidence, nothing imports it but app.ts',
      room('metrics'), [room('xmpp'), room('http'), '^component/(app|desk)\\.ts$']),
    forbid('metrics-from-root-only', 'only the composition root (app.ts) wires the metrics; services get the DeskMeter interface',
      '^component/(?!app\\.ts$|metrics/)', [room('metrics')]),
    forbid('faces-apart', 'the XMPP face and the HTTP face do not import each other',
      room('xmpp'), [room('http')]),
    forbid('http-apart', 'the HTTP face does not import the XMPP face',
      room('http'), [room('xmpp')]),
    forbid('product-not-dev', 'product code (component/, src/, config/, prosody/, ejabberd/) never depends on dev scripts or tests',
      '^(component|src|config|prosody|ejabberd)/', ['^scripts/', '^test/']),
    forbid('composition-root-only-from-main', 'only main.ts builds the app',
      '^component/(?!main\\.ts$)', ['^component/app\\.ts$']),
    { name: 'no-circular', comment: 'no import cycles between modules', severity: 'error', from: { path: '^(component|src|config)/' }, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.build|web-client/dist)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
