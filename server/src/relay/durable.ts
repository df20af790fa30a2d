import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes that survive kill -9 and power loss: data is flushed to disk (fsync)
 * before a rename makes it visible, and the directory is flushed after, so a file
 * is either absent or whole under its final name.
 */

export async function fsyncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Writes `data` to `tmpDir/name`, flushes it and renames it to `dir/name`; the caller flushes `dir` (once for several files). */
export async function writeFileDurably(dir: string, tmpDir: string, name: string, data: Buffer | string): Promise<void> {
  const tmp = join(tmpDir, name);
  const h = await open(tmp, 'w');
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
  await rename(tmp, join(dir, name));
}

/** An append-only file whose every append is on disk when it resolves. */
export class DurableLog {
  private constructor(private readonly handle: FileHandle) {}

  static async open(path: string): Promise<DurableLog> {
    return new DurableLog(await open(path, 'a'));
  }

  async append(lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    await this.handle.write(lines.map((l) => `${l}\n`).join(''));
    await this.handle.sync();
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

export async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
