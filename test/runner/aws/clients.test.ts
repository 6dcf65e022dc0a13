// The runner's client factory: endpoint resolution from settings and environment, path-style S3,
// S3 Control reaching a loopback endpoint without the account-id host prefix, no SDK Node warning.
import { HeadObjectCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { ListJobsCommand } from '@aws-sdk/client-s3-control';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAwsClients } from '../../../runner/aws/clients';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };

interface Captured {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** A loopback server that records requests and answers an empty 200 XML document. */
async function captureServer(body: string): Promise<{ endpoint: string; requests: Captured[]; close(): Promise<void> }> {
  const requests: Captured[] = [];
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

it('resolves per-service variables over AWS_ENDPOINT_URL over nothing', () => {
  const clients = createAwsClients({
    region: 'eu-west-1',
    env: {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:1000',
      AWS_ENDPOINT_URL_KMS: 'http://127.0.0.1:2000',
      AWS_ENDPOINT_URL_S3_CONTROL: 'http://127.0.0.1:3000',
    },
  });
  expect(clients.endpointFor('s3')).toBe('http://127.0.0.1:1000');
  expect(clients.endpointFor('kms')).toBe('http://127.0.0.1:2000');
  expect(clients.endpointFor('s3Control')).toBe('http://127.0.0.1:3000');
  expect(clients.endpointFor('athena')).toBe('http://127.0.0.1:1000');
  expect(createAwsClients({ region: 'eu-west-1', env: {} }).endpointFor('s3')).toBeUndefined();
});

it('lets explicit settings win over the environment', () => {
  const clients = createAwsClients({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    endpoints: { glue: 'http://127.0.0.1:2' },
    env: { AWS_ENDPOINT_URL_GLUE: 'http://127.0.0.1:3' },
  });
  expect(clients.endpointFor('glue')).toBe('http://127.0.0.1:2');
  expect(clients.endpointFor('sts')).toBe('http://127.0.0.1:1');
});

it('refuses an endpoint that is not an http(s) URL, naming the service', () => {
  expect(() => createAwsClients({ region: 'us-east-1', env: { AWS_ENDPOINT_URL_STS: 'localhost:4566' } })).toThrow(
    'endpoint for sts must be an http(s) URL. Received: localhost:4566',
  );
});

it('turns off the SDK NodeVersionSupportWarning before clients exist', () => {
  createAwsClients({ region: 'us-east-1', env: {} });
  expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
});

it('addresses S3 path-style on a custom endpoint', async () => {
  const server = await captureServer('<ListAllMyBucketsResult><Buckets></Buckets></ListAllMyBucketsResult>');
  const clients = createAwsClients({ region: 'us-east-1', endpoint: server.endpoint, credentials, env: {} });
  try {
    await clients.s3.send(new ListBucketsCommand({})).catch(() => undefined);
    await clients.s3.send(new HeadObjectCommand({ Bucket: 'my-bucket', Key: 'a b' })).catch(() => undefined);
    expect(server.requests.map((r) => [r.headers.host, r.url.split('?')[0]])).toEqual([
      [server.endpoint.slice('http://'.length), '/'],
      [server.endpoint.slice('http://'.length), '/my-bucket/a%20b'],
    ]);
  } finally {
    clients.destroy();
    await server.close();
  }
});

it('sends S3 Control requests to the configured host, without the account id in front of it', async () => {
  const server = await captureServer('<ListJobsResult><Jobs></Jobs></ListJobsResult>');
  const clients = createAwsClients({ region: 'us-east-1', endpoint: server.endpoint, credentials, env: {} });
  try {
    await clients.s3Control.send(new ListJobsCommand({ AccountId: '123456789012' }));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers.host).toBe(server.endpoint.slice('http://'.length));
    expect(server.requests[0]!.url).toMatch(/^\/v20180820\/jobs/);
    expect(server.requests[0]!.headers['x-amz-account-id']).toBe('123456789012');
    expect(server.requests[0]!.headers.authorization).toContain('/us-east-1/s3/aws4_request');
  } finally {
    clients.destroy();
    await server.close();
  }
});

it('lets as many calls be in flight to one host as the runner starts, past the SDK agent default of 50', async () => {
  // Every request is held open until 80 are open at once, or until a second has passed.
  const target = 80;
  let open = 0;
  let most = 0;
  const held: (() => void)[] = [];
  const release = () => held.splice(0).forEach((answer) => answer());
  const server = createServer((req, res) => {
    open++;
    most = Math.max(most, open);
    req.resume();
    held.push(() => {
      open--;
      res.writeHead(200, { 'content-type': 'application/xml', 'content-length': '0', etag: '"e"' });
      res.end();
    });
    if (open >= target) release();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const timer = setInterval(release, 1000);
  const clients = createAwsClients({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials,
    maxAttempts: 1,
    env: {},
  });
  try {
    await Promise.all(Array.from({ length: target }, (_, i) => clients.s3.send(new HeadObjectCommand({ Bucket: 'b', Key: `k${i}` }))));
    expect(most).toBe(target);
  } finally {
    clearInterval(timer);
    clients.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
