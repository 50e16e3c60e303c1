import { describe, expect, it } from 'vitest';
import { FileQueue } from '../../src/storage/fileQueue.js';

const tick = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('FileQueue', () => {
  it('never overlaps operations on one path, runs them in call order, and survives failures', async () => {
    const queue = new FileQueue();
    let active = 0;
    let maxActive = 0;
    const order: number[] = [];
    const ops = Array.from({ length: 10 }, (_, i) =>
      queue.run('/same', async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await tick(2);
        order.push(i);
        active--;
        if (i === 3) throw new Error('boom');
        return i;
      }),
    );
    const results = await Promise.allSettled(ops);
    expect(maxActive).toBe(1);
    expect(order).toEqual([...Array(10).keys()]);
    expect(results[3]?.status).toBe('rejected');
    expect(results[9]).toEqual({ status: 'fulfilled', value: 9 });
    expect(queue.busyPaths).toBe(0);
  });

  it('runs different paths concurrently', async () => {
    const queue = new FileQueue();
    let active = 0;
    let maxActive = 0;
    await Promise.all(
      ['/a', '/b', '/c'].map((path) =>
        queue.run(path, async () => {
          active++;
          maxActive = Math.max(maxActive, active);
          await tick(5);
          active--;
        }),
      ),
    );
    expect(maxActive).toBe(3);
  });

  it('close() waits for queued work, then refuses new work', async () => {
    const queue = new FileQueue();
    let done = false;
    void queue.run('/a', async () => {
      await tick(10);
      done = true;
    });
    await queue.close();
    expect(done).toBe(true);
    await expect(queue.run('/a', async () => 1)).rejects.toThrow(/Storage is closed/);
  });

  it('close() lets queued work start work of its own while it drains (a shutdown finishes what turns left)', async () => {
    const queue = new FileQueue();
    const ran: string[] = [];
    void queue.run('/a', async () => {
      await tick(10);
      // Queued work that needs another file (as an append that reads an old transcript does).
      await queue.run('/b', async () => {
        queue.assertOpen();
        ran.push('b');
      });
      ran.push('a');
    });
    await queue.close();
    expect(ran).toEqual(['b', 'a']);
    expect(() => queue.assertOpen()).toThrow(/Storage is closed/);
  });
});
