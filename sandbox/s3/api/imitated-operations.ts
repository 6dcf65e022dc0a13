// What a faulty endpoint does in place of a faithful S3 operation, one entry per imitation kind;
// the S3 handler serves these instead of the real operation while an imitation applies.
import type { ImitationKind } from '../../imitations';
import type { ObjectVersion } from '../model';
import { NO_TAGS } from '../object-draft';
import type { S3Operation } from './call';
import { copyObjectInput, copyObjectResponse, objectOperations } from './object-operations';

export interface ImitatedOperation {
  /** The S3 operation the imitation replaces. */
  readonly operation: string;
  readonly serve: S3Operation;
}

export const IMITATED_OPERATIONS: Readonly<Record<ImitationKind, ImitatedOperation>> = {
  'update-encryption-writes-new-version': {
    operation: 'UpdateObjectEncryption',
    // moto 5.2.1 has no UpdateObjectEncryption: `PUT /{key}?encryption` falls through to PutObject,
    // which ignores the versionId parameter, stores the XML body as the object's data, takes the
    // bucket's default encryption (the request names none) and answers the new version's id.
    serve: (call) => objectOperations.PutObject!(call),
  },
  'copy-drops-attributes': {
    operation: 'CopyObject',
    serve: (call) => {
      // The copy is checked and written as S3 would (a copy S3 refuses is still refused), so the
      // only lie is in what was stored: the 200 looks exactly like a good copy's.
      const { version, source } = call.world.copyObject(copyObjectInput(call));
      const damaged: ObjectVersion = { ...version, tags: NO_TAGS, metadata: NO_TAGS, storageClass: 'STANDARD' };
      call.world.bucket(call.bucket).replace(damaged);
      return copyObjectResponse(call, damaged, source);
    },
  },
  'copy-ignores-conditions': {
    operation: 'CopyObject',
    serve: (call) => {
      // moto 5.2.1 reads none of the conditional headers of a copy (checked against its server).
      const { ifMatch: _ifMatch, ifNoneMatch: _ifNoneMatch, source, ...input } = copyObjectInput(call);
      const { ifMatch: _sourceIfMatch, ifNoneMatch: _sourceIfNoneMatch, ...unconditionalSource } = source;
      const written = call.world.copyObject({ ...input, source: unconditionalSource });
      return copyObjectResponse(call, written.version, written.source);
    },
  },
};
