/**
 * A support session (one ticket) is waiting, active, ended, or an offline message. Its
 * transitions live in the Lua scripts of component/store/lua (one per transition); their
 * reference model is test/models/session-model.ts, held to the Lua by test/integration/rule-twins.test.ts.
 */
export type SessionState = 'waiting' | 'active' | 'ended' | 'offline';
