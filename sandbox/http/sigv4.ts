// Parses (never verifies) the SigV4 Authorization header: the credential scope tells which
// service a request is for, since every service shares the sandbox's one endpoint.

export interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/;

/** Reads the scope from an `AWS4-HMAC-SHA256 Credential=...` header or a presigned query value. */
export function parseCredentialScope(authorization: string | undefined): CredentialScope | undefined {
  if (!authorization) return undefined;
  const [, accessKeyId, date, region, service] = CREDENTIAL.exec(authorization) ?? [];
  if (accessKeyId === undefined || date === undefined || region === undefined || service === undefined) return undefined;
  return { accessKeyId, date, region, service };
}
