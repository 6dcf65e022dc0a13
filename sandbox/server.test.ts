// The sandbox server: loopback only, one endpoint routed by SigV4 scope, ephemeral ports, STS.
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { ListJobsCommand } from '@aws-sdk/client-s3-control';
import { ServiceError } from './errors';
import type { ServiceHandler } from './http/registry';
import { request } from 'node:http';
import { startSandbox } from './sandbox';
import { clientsFor, useSandbox } from './support/clients';

const fixture = useSandbox({ accountId: '210987654321' });

function rawRequest(endpoint: string, headers: Record<string, string>, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${endpoint}${path}`, { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

it('listens on 127.0.0.1 and an ephemeral port by default', () => {
  expect(fixture.sandbox.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(fixture.sandbox.port).toBeGreaterThan(0);
});

it('answers STS GetCallerIdentity with the configured account', async () => {
  const identity = await fixture.clients.sts.send(new GetCallerIdentityCommand({}));
  expect(identity.Account).toBe('210987654321');
  expect(identity.Arn).toBe('arn:aws:iam::210987654321:user/sandbox');
});

it('defaults the account id to 123456789012', async () => {
  const sb = await startSandbox();
  const clients = clientsFor(sb.endpoint);
  try {
    expect((await clients.sts.send(new GetCallerIdentityCommand({}))).Account).toBe('123456789012');
  } finally {
    clients.destroy();
    await sb.stop();
  }
});

it('routes by X-Amz-Target when a request carries no SigV4 scope', async () => {
  const response = await rawRequest(fixture.sandbox.endpoint, {
    'x-amz-target': 'TrentService.ListAliases',
    'content-type': 'application/x-amz-json-1.1',
  });
  expect(response.status).toBe(200);
  expect(JSON.parse(response.body)).toEqual({ Aliases: [], Truncated: false });
});

it('names the unknown service when no handler claims a request', async () => {
  const response = await rawRequest(fixture.sandbox.endpoint, {
    authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sqs/aws4_request, Signature=x',
  });
  expect(response.status).toBe(400);
  expect(response.body).toContain("no handler for service 'sqs'");
});

it('refuses a port outside 0..65535 naming the value', async () => {
  await expect(startSandbox({ port: 70000 })).rejects.toThrow("'port' must be between 0 and 65535. Received: 70000");
});

it('lets a plugged-in handler claim S3 Control paths that share the signing name s3', async () => {
  const seen: string[] = [];
  const fakeControl: ServiceHandler = {
    name: 'fake-s3-control',
    signingName: 's3',
    priority: 1000,
    matches: (req) => req.rawPath.startsWith('/v20180820/'),
    operationName: () => 'ListJobs',
    handle: async (req) => {
      seen.push(req.rawPath);
      return { status: 200, headers: { 'content-type': 'application/xml' }, body: '<ListJobsResult><Jobs></Jobs></ListJobsResult>' };
    },
    renderError: (error: ServiceError) => ({ status: error.status, body: error.code }),
    throttlingError: () => new ServiceError('TooManyRequestsException', 400, 'Rate exceeded'),
  };
  const sb = await startSandbox({ services: [() => fakeControl] });
  const clients = clientsFor(sb.endpoint);
  try {
    await clients.s3Control.send(new ListJobsCommand({ AccountId: '123456789012' }));
    await clients.s3.send(new ListBucketsCommand({}));
    expect(seen).toEqual(['/v20180820/jobs']);
    expect(sb.registry.names()[0]).toBe('fake-s3-control');
    expect(sb.registry.names()).toEqual(expect.arrayContaining(['s3', 'kms', 'sts']));
  } finally {
    clients.destroy();
    await sb.stop();
  }
});
