// Athena's API errors, and the two ways a query execution fails: the engine refused the SQL, or
// the sandbox met a table it cannot read (said plainly, never answered wrongly).
import { ServiceError } from '../errors';

export const athenaErrors = {
  invalidRequest: (message: string, athenaErrorCode = 'INVALID_INPUT'): ServiceError =>
    new ServiceError('InvalidRequestException', 400, message, { AthenaErrorCode: athenaErrorCode }),
  resourceNotFound: (message: string): ServiceError => new ServiceError('ResourceNotFoundException', 400, message),
};

/** A query that ends FAILED; `errorType` is Athena's AthenaError.ErrorType. */
export class QueryFailure extends Error {
  constructor(
    message: string,
    readonly errorType: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'QueryFailure';
  }
}

/** Something real Athena does that this sandbox does not (Parquet data, enum projection, ...). */
export class AthenaSandboxLimitation extends QueryFailure {
  constructor(message: string) {
    super(`NOT_SUPPORTED: ${message}`, 1003);
    this.name = 'AthenaSandboxLimitation';
  }
}
