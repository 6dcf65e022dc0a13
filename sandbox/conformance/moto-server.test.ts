// The moto launcher fails loudly, with the install command, when Python or moto is missing.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMoto } from './moto-server';

it('fails with an install hint when the Python interpreter is missing', async () => {
  await expect(startMoto({ python: 'python3-that-does-not-exist' })).rejects.toThrow("pip install 'moto[server]==5.2.1'");
});

it('fails with an install hint when moto cannot be imported', async () => {
  // `python3 -S -I` has no site-packages, so moto cannot be imported even where it is installed.
  const dir = await mkdtemp(join(tmpdir(), 'no-moto-'));
  const python = join(dir, 'python-without-moto');
  await writeFile(python, '#!/bin/sh\nexec python3 -S -I "$@"\n');
  await chmod(python, 0o755);
  try {
    await expect(startMoto({ python })).rejects.toThrow(/moto is not available .*pip install 'moto\[server\]==5\.2\.1'/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
