// The bench's proxy names each request's operation on the wire; both sides of the moto comparison are
// counted by it, so a misnamed operation would skew the request arithmetic of one side.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCountingProxy } from '../../bench/lib/counting-proxy';
import { operationOf, serviceOf, type WireRequest } from '../../bench/lib/request-operations';

const scope = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261130/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=abc`;

function s3(method: string, url: string, headers: Record<string, string> = {}): WireRequest {
  return { method, url, headers: { authorization: scope('s3'), ...headers } };
}

describe('operationOf', () => {
  it.each<[string, WireRequest]>([
    ['s3:ListBuckets', s3('GET', '/')],
    ['s3:HeadBucket', s3('HEAD', '/bench-data')],
    ['s3:ListObjectsV2', s3('GET', '/bench-data?list-type=2&prefix=&encoding-type=url')],
    ['s3:ListObjects', s3('GET', '/bench-data?prefix=a')],
    ['s3:ListObjectVersions', s3('GET', '/bench-data?versions&key-marker=a')],
    ['s3:GetBucketVersioning', s3('GET', '/bench-data?versioning')],
    ['s3:GetBucketEncryption', s3('GET', '/bench-data/?encryption')],
    ['s3:PutBucketLifecycleConfiguration', s3('PUT', '/bench-data?lifecycle')],
    ['s3:DeleteObjects', s3('POST', '/bench-data?delete')],
    ['s3:CreateBucket', s3('PUT', '/bench-data')],
    ['s3:HeadObject', s3('HEAD', '/bench-data/data/0/object-000001.bin?versionId=v1')],
    ['s3:GetObject', s3('GET', '/bench-data/with%20space/report%207%20%2B%20plus.csv')],
    ['s3:PutObject', s3('PUT', '/bench-data/k')],
    ['s3:CopyObject', s3('PUT', '/bench-data/k', { 'x-amz-copy-source': '/bench-data/k?versionId=v1' })],
    ['s3:UploadPartCopy', s3('PUT', '/bench-data/k?partNumber=2&uploadId=u', { 'x-amz-copy-source': '/bench-data/k' })],
    ['s3:UploadPart', s3('PUT', '/bench-data/k?partNumber=2&uploadId=u')],
    ['s3:CreateMultipartUpload', s3('POST', '/bench-data/k?uploads')],
    ['s3:CompleteMultipartUpload', s3('POST', '/bench-data/k?uploadId=u')],
    ['s3:AbortMultipartUpload', s3('DELETE', '/bench-data/k?uploadId=u')],
    ['s3:UpdateObjectEncryption', s3('PUT', '/bench-data/k?encryption&versionId=v1')],
    ['s3:GetObjectTagging', s3('GET', '/bench-data/k?tagging&versionId=v1')],
    ['s3:PutObjectTagging', s3('PUT', '/bench-data/k?tagging')],
    ['s3:GetObjectAcl', s3('GET', '/bench-data/k?acl')],
    ['s3:RestoreObject', s3('POST', '/bench-data/k?restore&versionId=v1')],
    ['s3:DeleteObject', s3('DELETE', '/bench-data/k?versionId=v1')],
    ['kms:DescribeKey', { method: 'POST', url: '/', headers: { authorization: scope('kms'), 'x-amz-target': 'TrentService.DescribeKey' } }],
    [
      'sts:GetCallerIdentity',
      { method: 'POST', url: '/', headers: { authorization: scope('sts') }, formBody: 'Action=GetCallerIdentity&Version=2011-06-15' },
    ],
  ])('names %s', (operation, request) => {
    expect(operationOf(request)).toBe(operation);
  });

  it('reads the service of a presigned request from its query, and calls an unsigned one unsigned', () => {
    expect(serviceOf({ method: 'GET', url: '/b/k?X-Amz-Credential=AKID%2F20261130%2Fus-east-1%2Fs3%2Faws4_request', headers: {} })).toBe(
      's3',
    );
    expect(serviceOf({ method: 'GET', url: '/moto-api/', headers: {} })).toBe('unsigned');
  });
});

describe('the counting proxy', () => {
  it('forwards requests and bodies unchanged and counts them by operation', async () => {
    const seen: { method?: string; url?: string; body: string }[] = [];
    const upstream = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ method: request.method, url: request.url, body });
        response.writeHead(200, { 'x-amz-version-id': 'v2' }).end(`answer to ${request.method} ${request.url}`);
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
    const proxy = await startCountingProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
    try {
      const put = await fetch(`${proxy.endpoint}/bench-data/k`, {
        method: 'PUT',
        body: 'object body',
        headers: { authorization: scope('s3') },
      });
      const copy = await fetch(`${proxy.endpoint}/bench-data/k`, {
        method: 'PUT',
        headers: { authorization: scope('s3'), 'x-amz-copy-source': '/bench-data/k' },
      });
      const sts = await fetch(proxy.endpoint, {
        method: 'POST',
        body: 'Action=GetCallerIdentity',
        headers: { authorization: scope('sts'), 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      });
      expect([await put.text(), put.headers.get('x-amz-version-id'), await copy.text(), await sts.text()]).toEqual([
        'answer to PUT /bench-data/k',
        'v2',
        'answer to PUT /bench-data/k',
        'answer to POST /',
      ]);
      expect(seen.map((s) => s.body)).toEqual(['object body', '', 'Action=GetCallerIdentity']);
      expect(proxy.counts()).toEqual({ 's3:PutObject': 1, 's3:CopyObject': 1, 'sts:GetCallerIdentity': 1 });
      proxy.reset();
      expect(proxy.counts()).toEqual({});
    } finally {
      await proxy.stop();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    }
  });
});
