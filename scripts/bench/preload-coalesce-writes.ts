/**
 * EXPERIMENT (`--experiment=component-coalesce-writes`), loaded into the component with
 * `--import`, never part of it: writes to the XMPP server socket made in one event-loop turn
 * go out as one write (cork, uncork on setImmediate), the way the suggested change to
 * component/xmpp/connection.ts would batch them. Measures that suggestion before it is made.
 */
import { Socket } from 'node:net';

const port = Number(process.env.BENCH_COALESCE_PORT);
const write = Socket.prototype.write;

Socket.prototype.write = function coalescedWrite(this: Socket, ...args: unknown[]): boolean {
  if (this.remotePort === port && !this.writableCorked) {
    this.cork();
    setImmediate(() => this.uncork());
  }
  return (write as (...a: unknown[]) => boolean).apply(this, args);
} as typeof Socket.prototype.write;
