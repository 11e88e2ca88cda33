import { describe, expect, it } from 'vitest';
import { createPrioritySerializer } from '../../component/lib/priority-serializer.js';

/** A task that records when it starts and ends, and finishes when released. */
function gate(log: string[], name: string) {
  let release: () => void = () => undefined;
  const done = new Promise<void>((r) => {
    release = r;
  });
  return {
    release: () => release(),
    task: async () => {
      log.push(`+${name}`);
      await done;
      log.push(`-${name}`);
    },
  };
}
const turn = () => new Promise((r) => setTimeout(r, 0));

describe('createPrioritySerializer', () => {
  it('runs a first task before the batched tasks waiting, and never beside them', async () => {
    const s = createPrioritySerializer({ batch: 2 });
    const log: string[] = [];
    const j1 = gate(log, 'j1');
    const running = s.batched('d', j1.task);
    await turn();
    const waiting = ['j2', 'j3', 'j4'].map((n) => gate(log, n));
    const joins = waiting.map((g) => s.batched('d', g.task));
    const dispatch = gate(log, 'dispatch');
    const dispatched = s.first('d', dispatch.task);
    await turn();
    expect(log).toEqual(['+j1']); // nothing beside the running batch
    j1.release();
    await running;
    await turn();
    expect(log).toEqual(['+j1', '-j1', '+dispatch']); // before j2..j4, who came earlier
    dispatch.release();
    await dispatched;
    await turn();
    expect(log.slice(3)).toEqual(['-dispatch', '+j2', '+j3']); // a batch of at most 2, started in order
    for (const g of waiting) g.release();
    await Promise.all(joins);
    expect(log.slice(-2)).toEqual(['+j4', '-j4']);
    await turn();
    expect(s.size()).toBe(0); // nothing left behind
  });

  it('gives a waiting batch its turn between two first tasks (neither class starves)', async () => {
    const s = createPrioritySerializer({ batch: 8 });
    const order: string[] = [];
    const job = (name: string) => async () => {
      order.push(name);
      await turn();
    };
    const all = [s.first('d', job('d1')), s.batched('d', job('j1')), s.first('d', job('d2')), s.first('d', job('d3'))];
    all.push(s.batched('d', job('j2')));
    await Promise.all(all);
    expect(order).toEqual(['d1', 'j1', 'j2', 'd2', 'd3']);
  });

  it('keeps keys apart and passes each task its own failure', async () => {
    const s = createPrioritySerializer({ batch: 4 });
    const log: string[] = [];
    const a = gate(log, 'a');
    const aDone = s.first('a', a.task);
    const failing = s.batched('b', async () => {
      throw new Error('nope');
    });
    const fine = s.batched('b', async () => void log.push('b2'));
    await expect(failing).rejects.toThrow('nope');
    await fine;
    expect(log).toEqual(['+a', 'b2']); // b did not wait for a
    a.release();
    await aDone;
    await turn();
    expect(s.size()).toBe(0); // nothing left behind
  });
});
