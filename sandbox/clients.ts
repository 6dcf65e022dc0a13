// The sandbox's own SDK v3 clients: one per service it serves, all pointed at one sandbox endpoint
// with dummy credentials. What the sandbox needs from a client is only its wire settings: path-style
// S3, and S3 Control without the account-id host prefix.
import { AthenaClient } from '@aws-sdk/client-athena';
import { GlueClient } from '@aws-sdk/client-glue';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';

// Set before any client exists: Node 20 is below the SDK's 2027 floor, and its warning would
// otherwise reach the output of every test and of `npm run sandbox` users' scripts.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * Dummy credentials: the sandbox parses SigV4 scopes, never verifies signatures. Any access key that
 * AssumeRole did not issue stands for the sandbox's default identity (see README, "Identities").
 */
export const SANDBOX_CREDENTIALS = { accessKeyId: 'AKIDSANDBOXTEST', secretAccessKey: 'sandbox-secret' } as const;

export interface SandboxClientsProps {
  /** The sandbox's endpoint, `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Attempts per call. @default 1, so a caller sees each answer, not the SDK's retries */
  readonly maxAttempts?: number;
  /** e.g. the temporary credentials of an AssumeRole answer. @default SANDBOX_CREDENTIALS (the default identity) */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

export interface SandboxClients {
  readonly region: string;
  readonly s3: S3Client;
  readonly s3Control: S3ControlClient;
  readonly kms: KMSClient;
  readonly sts: STSClient;
  readonly athena: AthenaClient;
  readonly glue: GlueClient;
  /** Closes every client (their sockets keep a process alive otherwise). */
  destroy(): void;
}

export function createSandboxClients(props: SandboxClientsProps): SandboxClients {
  if (!/^https?:\/\/[^/]+/.test(props.endpoint)) throw new Error(`'endpoint' must be an http(s) URL. Received: ${props.endpoint}`);
  const region = props.region ?? 'us-east-1';
  const common = {
    region,
    endpoint: props.endpoint,
    credentials: props.credentials ?? SANDBOX_CREDENTIALS,
    maxAttempts: props.maxAttempts ?? 1,
  };
  const { endpoint, ...withoutEndpoint } = common;
  // S3 Control's endpoint rules put the account id in front of the host (<account>.127.0.0.1),
  // which cannot resolve; disableHostPrefix does not stop it. A fixed endpoint provider does.
  const s3ControlUrl = new URL(endpoint);
  const clients = {
    region,
    s3: new S3Client({ ...common, forcePathStyle: true }),
    s3Control: new S3ControlClient({ ...withoutEndpoint, endpointProvider: () => ({ url: s3ControlUrl }) }),
    kms: new KMSClient(common),
    sts: new STSClient(common),
    athena: new AthenaClient(common),
    glue: new GlueClient(common),
  };
  return {
    ...clients,
    destroy: () => {
      for (const client of [clients.s3, clients.s3Control, clients.kms, clients.sts, clients.athena, clients.glue]) client.destroy();
    },
  };
}
