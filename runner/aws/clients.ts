// The one AWS client factory of the runner and its tests: clients are built lazily, honour
// AWS_ENDPOINT_URL and the per-service AWS_ENDPOINT_URL_<SERVICE> variables, and are set up for a
// local endpoint (path-style S3; S3 Control without the account-id host prefix).
import { MAX_CALLS_IN_FLIGHT } from '../core/concurrency';
import { AthenaClient } from '@aws-sdk/client-athena';
import { GlueClient } from '@aws-sdk/client-glue';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { BoundedRetryStrategy } from './retry-strategy';

// Set before any client exists: Node 20 is below the SDK's 2027 floor, and its warning must not
// reach the runner's user-facing output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Re-exported so code outside runner/aws never imports the SDK, even for a type. */
export type { S3Client };

export type AwsService = 's3' | 's3Control' | 'kms' | 'sts' | 'athena' | 'glue';

/** The per-service environment variable names, as the AWS SDKs and CLI define them. */
export const SERVICE_ENDPOINT_VARIABLES: Readonly<Record<AwsService, string>> = {
  s3: 'AWS_ENDPOINT_URL_S3',
  s3Control: 'AWS_ENDPOINT_URL_S3_CONTROL',
  kms: 'AWS_ENDPOINT_URL_KMS',
  sts: 'AWS_ENDPOINT_URL_STS',
  athena: 'AWS_ENDPOINT_URL_ATHENA',
  glue: 'AWS_ENDPOINT_URL_GLUE',
};

export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface AwsClientsProps {
  readonly region: string;
  /** One endpoint for every service. @default AWS_ENDPOINT_URL, else AWS's own endpoints */
  readonly endpoint?: string;
  /** Endpoints per service, winning over `endpoint`. @default AWS_ENDPOINT_URL_<SERVICE> */
  readonly endpoints?: Readonly<Partial<Record<AwsService, string>>>;
  /** @default the SDK's standard credential chain */
  readonly credentials?: StaticCredentials;
  /** @default the SDK's default (3) */
  readonly maxAttempts?: number;
  /** Environment to read endpoint variables from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface AwsClients {
  readonly region: string;
  readonly s3: S3Client;
  readonly s3Control: S3ControlClient;
  readonly kms: KMSClient;
  readonly sts: STSClient;
  readonly athena: AthenaClient;
  readonly glue: GlueClient;
  /** The endpoint a service resolves to, or undefined for AWS's own. */
  endpointFor(service: AwsService): string | undefined;
  /** Closes the clients built so far (their sockets keep a process alive otherwise). */
  destroy(): void;
}

// Defined beside the runner's concurrency so that the CLI's flags read it without loading the SDK.
export { MAX_CALLS_IN_FLIGHT };

/** Attempts per call when the caller names none: the SDK's own default. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** Giving up on a connection that does not open. */
export const CONNECTION_TIMEOUT_MS = 10_000;
/**
 * Giving up on a socket silent this long. S3 keeps a long CopyObject alive by sending whitespace
 * before its answer, so this bounds a stalled attempt, not a slow copy.
 */
export const IDLE_TIMEOUT_MS = 120_000;

export function createAwsClients(props: AwsClientsProps): AwsClients {
  if (!props.region) throw new Error("'region' must be set (for example us-east-1). Received: an empty value");
  const env = props.env ?? process.env;
  const endpointFor = (service: AwsService): string | undefined =>
    props.endpoints?.[service] ?? env[SERVICE_ENDPOINT_VARIABLES[service]] ?? props.endpoint ?? env.AWS_ENDPOINT_URL ?? undefined;
  for (const service of Object.keys(SERVICE_ENDPOINT_VARIABLES) as AwsService[]) {
    const endpoint = endpointFor(service);
    if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint)) {
      throw new Error(`endpoint for ${service} must be an http(s) URL. Received: ${endpoint}`);
    }
  }
  const common = (service: AwsService) => {
    const endpoint = endpointFor(service);
    return {
      region: props.region,
      ...(endpoint !== undefined ? { endpoint } : {}),
      ...(props.credentials ? { credentials: props.credentials } : {}),
      // The one retry layer: the SDK's retry middleware with a bounded strategy (retry-strategy.ts):
      // maxAttempts per call, jittered backoff of at most 20 s, each attempt bounded by these
      // timeouts. So one call takes at most maxAttempts x (connect + idle timeout) + (maxAttempts - 1) x 20 s.
      retryStrategy: new BoundedRetryStrategy(props.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
      requestHandler: {
        connectionTimeout: CONNECTION_TIMEOUT_MS,
        requestTimeout: IDLE_TIMEOUT_MS,
        httpAgent: { maxSockets: MAX_CALLS_IN_FLIGHT },
        httpsAgent: { maxSockets: MAX_CALLS_IN_FLIGHT },
      },
      // Each call reuses its command class's resolved middleware chain instead of rebuilding it:
      // about a tenth of the runner's CPU per request at high concurrency (bench/README.md). Middleware is
      // therefore added to a client, never to one command (see objects.ts keepAnsweredVersionId).
      cacheMiddleware: true,
    };
  };
  const built = new Map<AwsService, { destroy(): void }>();
  const lazy =
    <T extends { destroy(): void }>(service: AwsService, build: () => T): (() => T) =>
    () => {
      let client = built.get(service) as T | undefined;
      if (!client) {
        client = build();
        built.set(service, client);
      }
      return client;
    };
  const s3 = lazy('s3', () => {
    const config = common('s3');
    // A local endpoint has no bucket subdomains.
    return new S3Client({ ...config, ...(config.endpoint !== undefined ? { forcePathStyle: true } : {}) });
  });
  const s3Control = lazy('s3Control', () => {
    const { endpoint, ...config } = common('s3Control');
    if (endpoint === undefined) return new S3ControlClient(config);
    // S3 Control's endpoint rules put the account id in front of the host (<account>.host), which
    // cannot resolve on 127.0.0.1; disableHostPrefix does not stop it. A fixed provider does.
    const url = new URL(endpoint);
    return new S3ControlClient({ ...config, endpointProvider: () => ({ url }) });
  });
  const kms = lazy('kms', () => new KMSClient(common('kms')));
  const sts = lazy('sts', () => new STSClient(common('sts')));
  const athena = lazy('athena', () => new AthenaClient(common('athena')));
  const glue = lazy('glue', () => new GlueClient(common('glue')));
  return {
    region: props.region,
    get s3() {
      return s3();
    },
    get s3Control() {
      return s3Control();
    },
    get kms() {
      return kms();
    },
    get sts() {
      return sts();
    },
    get athena() {
      return athena();
    },
    get glue() {
      return glue();
    },
    endpointFor,
    destroy: () => {
      for (const client of built.values()) client.destroy();
      built.clear();
    },
  };
}
