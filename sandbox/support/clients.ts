// Test support: a sandbox with the sandbox's own SDK clients pointed at it.
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { createSandboxClients, type SandboxClients } from '../clients';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox';

/** Clients for an endpoint; maxAttempts 1 so tests see each answer, not the SDK's retries. */
export function clientsFor(endpoint: string, maxAttempts = 1): SandboxClients {
  return createSandboxClients({ endpoint, maxAttempts });
}

/** Clients that act as a session of `roleArn`: AssumeRole through `clients`, then its temporary credentials. */
export async function clientsAssuming(
  clients: SandboxClients,
  endpoint: string,
  roleArn: string,
  sessionName = 'test-session',
): Promise<SandboxClients> {
  const out = await clients.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }));
  const c = out.Credentials!;
  return createSandboxClients({
    endpoint,
    credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
  });
}

export interface SandboxFixture {
  readonly sandbox: Sandbox;
  readonly clients: SandboxClients;
}

/** Starts a sandbox in beforeAll and stops it in afterAll; read `.sandbox` and `.clients` inside tests. */
export function useSandbox(options: SandboxOptions = {}): SandboxFixture {
  const fixture = {} as { sandbox: Sandbox; clients: SandboxClients };
  beforeAll(async () => {
    fixture.sandbox = await startSandbox(options);
    fixture.clients = clientsFor(fixture.sandbox.endpoint);
  });
  afterAll(async () => {
    fixture.clients?.destroy();
    await fixture.sandbox?.stop();
  });
  return fixture;
}

/** The error an SDK call fails with (fails the test if it succeeds). */
export async function failureOf(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
