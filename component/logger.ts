/** Structured logs (pino), one line per session event. LOG_LEVEL overrides the level. */
import { pino, type Logger } from 'pino';

export function createLogger(name = 'madoguchi'): Logger {
  return pino({ name, level: process.env.LOG_LEVEL ?? 'info', base: { pid: process.pid } });
}
