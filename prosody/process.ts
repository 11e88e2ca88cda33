/** Child processes that belong to a stack: started together, stopped together. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface Managed {
  name: string;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after the timeout. */
  stop(timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

export function startProcess(name: string, cmd: string, args: string[], opts: SpawnOptions & { echo?: boolean }): Managed {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (opts.echo) {
    child.stdout?.on('data', (d: Buffer) => process.stdout.write(prefixLines(name, d)));
    child.stderr?.on('data', (d: Buffer) => process.stderr.write(prefixLines(name, d)));
  } else {
    child.stdout?.resume();
    child.stderr?.resume();
  }
  return {
    name,
    child,
    exited,
    async stop(timeoutMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

function prefixLines(name: string, data: Buffer): string {
  return data.toString().replace(/^(?=.)/gm, `[${name}] `);
}

/** Runs a command to completion; rejects with its output on failure. */
export function run(cmd: string, args: string[], opts: SpawnOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${out}`))));
  });
}
