import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDataDir } from '../../src/storage/lowdbStore.js';
import { responseFile, stateFile, tempFileOf, transcriptFile } from '../../src/storage/layout.js';
import { runDataCli } from '../../src/storage/dataCli.js';
import { CorruptDataFileError } from '../../src/storage/types.js';
import { listFilesRecursive, listTempFiles, makeTempDir, removeTempDirs } from './helpers.js';

afterEach(removeTempDirs);

/** A data dir with one state key, closed again. */
async function seeded(): Promise<string> {
  const dir = join(await makeTempDir(), 'var');
  const data = await openDataDir(dir);
  await data.state.write({ good: { v: 1 }, bad: { v: 2 } });
  await data.close();
  return dir;
}

function quietIo(env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { env, out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('missing vs corrupt files', () => {
  it('reads a missing key, response and transcript as empty', async () => {
    const data = await openDataDir(join(await makeTempDir(), 'var'));
    expect(await data.state.read(['none'])).toEqual({});
    expect(await data.responses.get('none')).toBeUndefined();
    expect(await data.responses.list('w1')).toEqual([]);
    expect(await data.transcripts.get('msteams', 'none')).toEqual([]);
    await data.close();
  });

  it('refuses to open on a corrupt file, naming it, and leaves its bytes unchanged', async () => {
    const dir = await seeded();
    const file = stateFile(dir, 'bad');
    const bytes = '{"key":"bad","item":{"v":';
    await writeFile(file, bytes);
    const error = await openDataDir(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CorruptDataFileError);
    expect((error as CorruptDataFileError).file).toBe(file);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain('npm run data -- repair');
    expect(await readFile(file, 'utf8')).toBe(bytes);
    // The failed open released its lock: a second attempt reports the file again, not a lock.
    await expect(openDataDir(dir)).rejects.toBeInstanceOf(CorruptDataFileError);
  });

  it('treats valid JSON of the wrong shape as corrupt (an empty file too)', async () => {
    for (const bytes of ['[]', '', '{"key":"someone-else","item":{}}']) {
      const dir = await seeded();
      await writeFile(stateFile(dir, 'bad'), bytes);
      await expect(openDataDir(dir)).rejects.toBeInstanceOf(CorruptDataFileError);
    }
  });

  it('refuses to overwrite or delete a file that went bad while open; reads serve what this process wrote', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openDataDir(dir);
    await data.state.write({ k: { v: 1 } });
    await data.responses.save({ id: 'r1', wave: 'w1' } as never);
    await data.transcripts.append('msteams', 'c1', { text: 'hello' });
    const files = [stateFile(dir, 'k'), responseFile(dir, 'w1', 'r1'), transcriptFile(dir, 'msteams', 'c1')];
    for (const file of files) await writeFile(file, 'garbage');

    // Every change first checks that the file is the one this process last wrote.
    await expect(data.state.write({ k: { v: 2 } })).rejects.toBeInstanceOf(CorruptDataFileError);
    await expect(data.state.delete(['k'])).rejects.toBeInstanceOf(CorruptDataFileError);
    await expect(data.responses.save({ id: 'r1', wave: 'w1' } as never)).rejects.toBeInstanceOf(CorruptDataFileError);
    await expect(data.responses.update('w1', 'r1', (r) => r)).rejects.toBeInstanceOf(CorruptDataFileError);
    await expect(data.responses.list()).rejects.toBeInstanceOf(CorruptDataFileError);
    await expect(data.responses.delete('r1')).rejects.toBeInstanceOf(CorruptDataFileError);
    await expect(data.transcripts.append('msteams', 'c1', { text: 'x' })).rejects.toBeInstanceOf(CorruptDataFileError);
    await expect(data.transcripts.delete('msteams', 'c1')).rejects.toBeInstanceOf(CorruptDataFileError);
    for (const file of files) expect(await readFile(file, 'utf8')).toBe('garbage');
    await data.close();

    // Opened again (a restart), the damage stops the start, naming the file.
    await expect(openDataDir(dir)).rejects.toBeInstanceOf(CorruptDataFileError);
  });

  it('reads a file changed behind its back once it is no longer cached, and refuses it when corrupt', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openDataDir(dir, { cache: { maxEntries: 0 } });
    await data.state.write({ k: { v: 1 } });
    await data.transcripts.append('msteams', 'c1', { text: 'hello' });
    await writeFile(stateFile(dir, 'k'), 'garbage');
    await writeFile(transcriptFile(dir, 'msteams', 'c1'), 'garbage');
    await expect(data.state.read(['k'])).rejects.toBeInstanceOf(CorruptDataFileError);
    await expect(data.transcripts.get('msteams', 'c1')).rejects.toBeInstanceOf(CorruptDataFileError);
    await data.close();
  });

  it('repair moves corrupt files to quarantine/<timestamp>/ keeping their path, then open works', async () => {
    const dir = await seeded();
    const bad = stateFile(dir, 'bad');
    await writeFile(bad, 'not json');
    await mkdir(join(dir, 'responses', 'w1'), { recursive: true });
    const badResponse = responseFile(dir, 'w1', 'r9');
    await writeFile(badResponse, '{"id":"r9","wave":"w2"}');
    const { io, out } = quietIo({ DATA_DIR: dir });

    expect(await runDataCli(['check'], io)).toBe(1);
    expect(out.join('\n')).toContain(relative(dir, bad));
    expect(out.join('\n')).toContain(relative(dir, badResponse));

    out.length = 0;
    expect(await runDataCli(['repair'], io)).toBe(0);
    const quarantined = await listFilesRecursive(join(dir, 'quarantine'));
    expect(quarantined.map((f) => relative(dir, f).split('/').slice(2).join('/')).sort()).toEqual(
      [relative(dir, badResponse), relative(dir, bad)].sort(),
    );
    expect(await readdir(join(dir, 'quarantine'))).toHaveLength(1);
    const moved = quarantined.find((f) => f.endsWith(relative(dir, bad)));
    expect(await readFile(moved!, 'utf8')).toBe('not json');
    expect(out.join('\n')).toMatch(/2 corrupt file\(s\) quarantined/);

    const data = await openDataDir(dir);
    expect(Object.keys(await data.state.read(['good', 'bad']))).toEqual(['good']);
    await data.close();
    out.length = 0;
    expect(await runDataCli(['check'], io)).toBe(0);
    expect(out.join('\n')).toContain('No problems found.');
  });

  it('repair puts back the last whole version of a record whose last version is damaged', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openDataDir(dir);
    await data.state.write({ k: { v: 1 } });
    await data.state.write({ k: { v: 2 } });
    // A file with two versions (as a killed process leaves it), the last then damaged on disk.
    const file = stateFile(dir, 'k');
    const versions = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    expect(versions).toHaveLength(2);
    await data.close();
    await writeFile(file, `${versions[0]}\n{"key":"k","item":{"v":2,\u0000\u0000}\n`);
    const { io, out } = quietIo({ DATA_DIR: dir });
    expect(await runDataCli(['check'], io)).toBe(1);
    expect(out.join('\n')).toContain('an earlier version is whole: repair restores it');

    out.length = 0;
    expect(await runDataCli(['repair'], io)).toBe(0);
    expect(out.join('\n')).toContain(`Restored ${relative(dir, file)}`);
    // The damaged file is kept in quarantine; in its place, the earlier version alone.
    const quarantined = await listFilesRecursive(join(dir, 'quarantine'));
    expect(quarantined).toHaveLength(1);
    expect(await readFile(quarantined[0] as string, 'utf8')).toContain('\u0000');
    expect(await readFile(file, 'utf8')).toBe(`${versions[0]}\n`);
    const again = await openDataDir(dir);
    expect((await again.state.read(['k'])).k).toMatchObject({ v: 1 });
    await again.close();
  });

  it('removes temp files of interrupted writes on open, and check/repair report them', async () => {
    const dir = await seeded();
    await mkdir(join(dir, 'responses', 'w1'), { recursive: true });
    const temps = [
      tempFileOf(stateFile(dir, 'good')),
      tempFileOf(responseFile(dir, 'w1', 'r1')),
      tempFileOf(transcriptFile(dir, 'msteams', 'c1')),
    ];
    for (const t of temps) await writeFile(t, '{"half": ');
    const { io, out } = quietIo({ DATA_DIR: dir });
    expect(await runDataCli(['check'], io)).toBe(1);
    for (const t of temps) expect(out.join('\n')).toContain(relative(dir, t));

    const data = await openDataDir(dir);
    expect(data.opened.removedTempFiles.sort()).toEqual([...temps].sort());
    expect(await listTempFiles(dir)).toEqual([]);
    // The unfinished write is discarded; the last acknowledged value stays.
    expect((await data.state.read(['good'])).good.v).toBe(1);
    await data.close();
  });

  it("leaves other modules' temp files in DATA_DIR itself alone (they may be writes in flight)", async () => {
    const dir = await seeded();
    const foreign = join(dir, '.waves.json.a1b2c3.tmp');
    const ownerTemp = join(dir, '.lock-owner.json.tmp');
    await writeFile(foreign, '{}');
    await writeFile(ownerTemp, '{');
    const data = await openDataDir(dir);
    expect(data.opened.removedTempFiles).toEqual([]);
    expect(await readFile(foreign, 'utf8')).toBe('{}');
    // Our own leftover is consumed: taking the lock rewrites the owner file through that temp file.
    await expect(readFile(ownerTemp)).rejects.toMatchObject({ code: 'ENOENT' });
    await data.close();
  });
});
