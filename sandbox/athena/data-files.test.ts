// Local copies of the data files queries read: made once per S3 version, made again when it changes.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxServices } from '../composition';
import { bytesBody } from '../s3/body';
import { DataFileCache } from './data-files';
import { fileBytes, type DataFile } from './table-source';

function worldWithFile(text: string): { services: SandboxServices; file: () => DataFile } {
  const services = new SandboxServices();
  services.world.s3.createBucket({ name: 'reports' });
  services.world.s3.putObject({ bucket: 'reports', key: 'data/a.csv', body: bytesBody(Buffer.from(text)) });
  const file = (): DataFile => ({
    bucket: 'reports',
    key: 'data/a.csv',
    size: services.world.s3.version({ bucket: 'reports', key: 'data/a.csv' }).size,
    partition: {},
  });
  return { services, file };
}

/** Copies the file into the cache's directory, counting the copies made. */
function copier(cache: DataFileCache, file: DataFile, made: { count: number }): Promise<string> {
  return cache.local(file, 'csv', (dir) => {
    made.count++;
    const path = join(dir, 'data.csv');
    writeFileSync(path, fileBytes(file, cache.s3));
    return path;
  });
}

describe('DataFileCache', () => {
  it('copies a data file once for every query that reads the same version', async () => {
    const { services, file } = worldWithFile('a,1\n');
    const cache = new DataFileCache({ s3: services.world.s3 });
    const made = { count: 0 };
    const first = await copier(cache, file(), made);
    const second = await copier(cache, file(), made);
    expect(made.count).toBe(1);
    expect(second).toBe(first);
    expect(readFileSync(first, 'utf8')).toBe('a,1\n');
    cache.dispose();
  });

  it('copies it again once the object changes, and removes the old copy', async () => {
    const { services, file } = worldWithFile('a,1\n');
    const cache = new DataFileCache({ s3: services.world.s3 });
    const made = { count: 0 };
    const old = await copier(cache, file(), made);
    services.world.s3.putObject({ bucket: 'reports', key: 'data/a.csv', body: bytesBody(Buffer.from('b,2\n')) });
    const fresh = await copier(cache, file(), made);
    expect(made.count).toBe(2);
    expect(readFileSync(fresh, 'utf8')).toBe('b,2\n');
    expect(existsSync(old)).toBe(false);
    cache.dispose();
  });

  it('keeps at most maxBytes of copies, the least recently used going first', async () => {
    const { services, file } = worldWithFile('a,1\n');
    services.world.s3.putObject({ bucket: 'reports', key: 'data/b.csv', body: bytesBody(Buffer.from('b,2\n')) });
    const cache = new DataFileCache({ s3: services.world.s3, maxBytes: 4 });
    const made = { count: 0 };
    const a = await copier(cache, file(), made);
    await copier(cache, { ...file(), key: 'data/b.csv' }, made);
    expect(existsSync(a)).toBe(false);
    cache.dispose();
  });

  it('removes every copy on dispose', async () => {
    const { services, file } = worldWithFile('a,1\n');
    const cache = new DataFileCache({ s3: services.world.s3 });
    const path = await copier(cache, file(), { count: 0 });
    cache.dispose();
    expect(existsSync(path)).toBe(false);
  });
});
