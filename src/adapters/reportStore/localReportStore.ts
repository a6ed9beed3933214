import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { reportKey, type ReportStore } from './port';

/**
 * Reports as files under `dir` (normally `config.report.dir`). Each write goes to a temporary file in
 * the same folder and is renamed into place, so a reader never sees half a report. The content type
 * is implied by the file name and not stored.
 */
export function localReportStore(dir: string): ReportStore {
  const root = path.resolve(dir);
  const fileOf = (key: string) => path.join(root, ...reportKey(key).split('/'));

  return {
    async put(key, body) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, body);
        await rename(temporary, file);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      return file;
    },

    async get(key) {
      try {
        return await readFile(fileOf(key));
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return null;
        throw error;
      }
    },
  };
}
