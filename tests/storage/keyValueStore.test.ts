import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stateFile } from '../../src/storage/layout.js';
import { closeTempDataDirs, listFilesRecursive, listTempFiles, openTemp } from './helpers.js';
import { currentVersion } from '../../src/storage/jsonFile.js';

afterEach(closeTempDataDirs);

const conflict = (key: string) => `Storage: error writing "${key}" due to eTag conflict.`;

describe('KeyValueStore eTags (botbuilder MemoryStorage semantics)', () => {
  it('reads only existing keys, each with an eTag', async () => {
    const { state } = await openTemp();
    await state.write({ a: { count: 1 } });
    const items = await state.read(['a', 'missing']);
    expect(Object.keys(items)).toEqual(['a']);
    expect(items.a.count).toBe(1);
    expect(typeof items.a.eTag).toBe('string');
    expect(items.a.eTag.length).toBeGreaterThan(0);
  });

  it('writes unconditionally with eTag "*" or no eTag, each time with a new eTag', async () => {
    const { state } = await openTemp();
    await state.write({ k: { v: 1 } });
    const first = (await state.read(['k'])).k.eTag;
    await state.write({ k: { v: 2, eTag: '*' } });
    const second = (await state.read(['k'])).k;
    await state.write({ k: { v: 3 } });
    const third = (await state.read(['k'])).k;
    expect(second.v).toBe(2);
    expect(third.v).toBe(3);
    expect(new Set([first, second.eTag, third.eTag]).size).toBe(3);
  });

  it('accepts the current eTag and rejects a stale one with the exact message', async () => {
    const { state } = await openTemp();
    await state.write({ k: { v: 1 } });
    const read1 = (await state.read(['k'])).k;
    await state.write({ k: { ...read1, v: 2 } });
    await expect(state.write({ k: { ...read1, v: 3 } })).rejects.toThrow(conflict('k'));
    expect((await state.read(['k'])).k.v).toBe(2);
  });

  it('treats a concrete eTag on a missing key as a conflict', async () => {
    const { state } = await openTemp();
    await expect(state.write({ nope: { v: 1, eTag: 'some-etag' } })).rejects.toThrow(conflict('nope'));
    expect(await state.read(['nope'])).toEqual({});
  });

  it('lets exactly one of two writers racing with the same eTag win', async () => {
    const { state } = await openTemp();
    await state.write({ k: { v: 0 } });
    const base = (await state.read(['k'])).k;
    const results = await Promise.allSettled([
      state.write({ k: { ...base, v: 'first' } }),
      state.write({ k: { ...base, v: 'second' } }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0]?.reason as Error).message).toBe(conflict('k'));
    expect(['first', 'second']).toContain((await state.read(['k'])).k.v);
  });

  it('stores JSON copies: later changes to the caller objects do not leak in or out', async () => {
    const { state } = await openTemp();
    const item = { nested: { list: [1] } };
    await state.write({ k: item });
    item.nested.list.push(2);
    const read = (await state.read(['k'])).k;
    expect(read.nested.list).toEqual([1]);
    read.nested.list.push(3);
    expect((await state.read(['k'])).k.nested.list).toEqual([1]);
    expect('eTag' in item).toBe(false);
  });

  it('deletes keys; deleting a missing key is fine', async () => {
    const { state, dir } = await openTemp();
    await state.write({ a: { v: 1 }, b: { v: 2 } });
    await state.delete(['a', 'never-existed']);
    expect(Object.keys(await state.read(['a', 'b']))).toEqual(['b']);
    await expect(readFile(stateFile(dir, 'a'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('throws ReferenceError when keys or changes are missing', async () => {
    const { state } = await openTemp();
    const untyped = state as unknown as Record<string, (arg?: unknown) => Promise<unknown>>;
    await expect(untyped.read!()).rejects.toBeInstanceOf(ReferenceError);
    await expect(untyped.write!()).rejects.toBeInstanceOf(ReferenceError);
    await expect(untyped.delete!()).rejects.toBeInstanceOf(ReferenceError);
    await expect(untyped.write!(null)).rejects.toThrow(/Changes are required/);
  });

  it('rejects items that are not plain objects before writing anything', async () => {
    const { state } = await openTemp();
    await expect(state.write({ ok: { v: 1 }, bad: [1, 2] })).rejects.toThrow(/must be a plain object/);
    expect(await state.read(['ok', 'bad'])).toEqual({});
  });
});

describe('KeyValueStore concurrency', () => {
  it('lands concurrent writes to 200 different keys', async () => {
    const { state, dir } = await openTemp();
    const keys = Array.from({ length: 200 }, (_, i) => `conversation/${i}`);
    await Promise.all(keys.map((key, i) => state.write({ [key]: { i } })));
    const items = await state.read(keys);
    expect(Object.keys(items)).toHaveLength(200);
    keys.forEach((key, i) => expect(items[key].i).toBe(i));
    expect(await listTempFiles(dir)).toEqual([]);
    expect((await listFilesRecursive(join(dir, 'state'))).length).toBe(200);
  });

  it('serialises concurrent writes to one key: all succeed, the last issued wins', async () => {
    const { state, dir } = await openTemp();
    const writes = Array.from({ length: 50 }, (_, i) => state.write({ hot: { i, pad: 'y'.repeat(i * 100) } }));
    await Promise.all(writes);
    const raw = await readFile(stateFile(dir, 'hot'), 'utf8');
    expect(JSON.parse(currentVersion(raw).record).item.i).toBe(49);
    expect(await listTempFiles(dir)).toEqual([]);
  });

  it('serialises eTag checks: of 20 writers holding the same eTag exactly one wins', async () => {
    const { state } = await openTemp();
    await state.write({ k: { v: -1 } });
    const base = (await state.read(['k'])).k;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => state.write({ k: { ...base, v: i } })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });
});
