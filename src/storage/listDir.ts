import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';

/** The entries of `dir`; a directory that does not exist (yet) has none. */
export async function listDir(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
