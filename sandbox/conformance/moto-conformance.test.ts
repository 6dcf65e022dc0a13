// Holds the sandbox against moto: one SDK-driven scenario per shared behaviour runs on both
// servers; answers must agree except for the named differences in known-differences.ts.
import { isDeepStrictEqual } from 'node:util';
import type { SandboxClients } from '../clients';
import { startSandbox, type Sandbox } from '../sandbox';
import { clientsFor } from '../support/clients';
import { KNOWN_DIFFERENCES } from './known-differences';
import { startMoto, type MotoServer } from './moto-server';
import { CONFORMANCE_ROLE, scenarios } from './scenarios';

let moto: MotoServer | undefined;
let sandbox: Sandbox;
let motoClients: SandboxClients;
let sandboxClients: SandboxClients;
const observed = new Set<string>();

beforeAll(async () => {
  // moto absent is a failure with the install hint, never a skip.
  moto = await startMoto();
  sandbox = await startSandbox();
  // moto's AssumeRole needs no role; the sandbox's checks that the role exists and trusts the caller.
  const trustsAccount = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${sandbox.world.accountId}:root` }, Action: 'sts:AssumeRole' }],
  };
  sandbox.world.iam.createRole({ roleName: CONFORMANCE_ROLE, assumeRolePolicyDocument: JSON.stringify(trustsAccount) });
  motoClients = clientsFor(moto.endpoint);
  sandboxClients = clientsFor(sandbox.endpoint);
});

afterAll(async () => {
  motoClients?.destroy();
  sandboxClients?.destroy();
  await sandbox?.stop();
  await moto?.stop();
});

describe.each(Object.keys(scenarios))('scenario %s', (name) => {
  it('answers as moto does, apart from the named differences', async () => {
    const scenario = scenarios[name]!;
    const [fromSandbox, fromMoto] = await Promise.all([scenario(sandboxClients, 'conf'), scenario(motoClients, 'conf')]);
    const unexplained: string[] = [];
    for (const observation of new Set([...Object.keys(fromSandbox), ...Object.keys(fromMoto)])) {
      const ours = fromSandbox[observation];
      const theirs = fromMoto[observation];
      const known = KNOWN_DIFFERENCES.find((d) => d.scenario === name && d.observation === observation);
      if (known) {
        observed.add(`${name}.${observation}`);
        expect({ observation, sandbox: ours, moto: theirs }).toEqual({ observation, sandbox: known.sandbox, moto: known.moto });
      } else if (!isDeepStrictEqual(ours, theirs)) {
        unexplained.push(`${observation}: sandbox ${JSON.stringify(ours)}, moto ${JSON.stringify(theirs)}`);
      }
    }
    expect(unexplained).toEqual([]);
    expect(Object.keys(fromSandbox).length).toBeGreaterThan(0);
  });
});

it('imitates moto: with update-encryption-writes-new-version on, the sandbox answers the updateObjectEncryption scenario as moto does', async () => {
  sandbox.imitations.enable({ kind: 'update-encryption-writes-new-version' });
  try {
    const scenario = scenarios.updateObjectEncryption!;
    const [fromSandbox, fromMoto] = await Promise.all([scenario(sandboxClients, 'imitated'), scenario(motoClients, 'imitated')]);
    expect(fromSandbox).toEqual(fromMoto);
    // Guards the comparison: both must show moto's new version, not agree on S3's behaviour.
    expect(fromMoto).toMatchObject({ answeredVersionId: 'other', versionCount: 2, currentIsOriginal: false });
  } finally {
    sandbox.imitations.clear();
  }
});

it('lists only differences that scenarios observe', () => {
  const stale = KNOWN_DIFFERENCES.map((d) => `${d.scenario}.${d.observation}`).filter((id) => !observed.has(id));
  expect(stale).toEqual([]);
});
