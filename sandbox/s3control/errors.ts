// S3 Control's error codes as the SDK models them (BadRequestException, NotFoundException,
// JobStatusException, IdempotencyException), built in one place so every path fails alike.
import { ServiceError } from '../errors';

export const s3ControlErrors = {
  badRequest: (message: string) => new ServiceError('BadRequestException', 400, message),
  invalidRequest: (message: string) => new ServiceError('InvalidRequest', 400, message),
  noSuchJob: (jobId: string) => new ServiceError('NotFoundException', 404, `The specified job does not exist: ${jobId}`),
  jobStatus: (message: string) => new ServiceError('JobStatusException', 409, message),
  idempotency: (token: string) =>
    new ServiceError(
      'IdempotencyException',
      409,
      `The ClientRequestToken '${token}' was already used to create a job with different parameters.`,
    ),
  accessDenied: (message: string) => new ServiceError('AccessDenied', 403, message),
  notImplemented: (message: string) => new ServiceError('NotImplemented', 501, message),
  malformedXml: () =>
    new ServiceError('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema'),
};
