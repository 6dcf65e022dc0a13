// The sandbox's typed errors: a ServiceError is an AWS error a handler renders on the wire; the
// others are the sandbox's own misuse errors, thrown to the code that started or seeded it.

/** An error AWS itself would return: code, HTTP status and message, rendered per protocol. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Extra fields AWS puts in the error body (S3: `<Key>`, `<BucketName>`, ...). */
    readonly details: Readonly<Record<string, string>> = {},
    /** Extra response headers (S3: x-amz-delete-marker on a 404 for a delete marker). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** The sandbox was started, seeded or loaded with options it cannot honour. */
export class SandboxConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SandboxConfigError';
  }
}

/** A saved state directory cannot be read back. */
export class SandboxStateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SandboxStateError';
  }
}
