// Request members of the JSON services: read as typed, refused with AWS's validation text under the service's code.
import { ServiceError } from '../errors';
import { JsonInputReader, validationMessage } from './json-input';

const members = new JsonInputReader((message) => new ServiceError('ValidationException', 400, message));

describe('JSON request members', () => {
  it('refuses a missing required member with the lower-camel member path', () => {
    expect(() => members.requiredString({}, 'KeyId')).toThrow(
      "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    );
  });

  it('refuses an integer out of range with the value received', () => {
    expect(() => members.integerBetween({ MaxResults: 0 }, 'MaxResults', 1, 1000, 100)).toThrow(
      "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000",
    );
    expect(members.integerBetween({}, 'MaxResults', 1, 1000, 100)).toBe(100);
  });

  it('names nested members by their path', () => {
    expect(validationMessage('Configuration.BytesScannedCutoffPerQuery', 5, 'X')).toBe(
      "1 validation error detected: Value '5' at 'configuration.bytesScannedCutoffPerQuery' failed to satisfy constraint: X",
    );
  });
});
