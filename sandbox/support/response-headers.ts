// Test support: the raw HTTP headers of one S3 command's answer, which the SDK's output types leave
// out (UpdateObjectEncryption's output holds only RequestCharged, whatever else the endpoint said).
import type { UpdateObjectEncryptionCommand } from '@aws-sdk/client-s3';

/** Every S3 command shares this middleware stack type; UpdateObjectEncryptionCommand merely names it. */
type S3Command = Pick<UpdateObjectEncryptionCommand, 'middlewareStack'>;

/**
 * Adds a middleware to this one command that keeps its answer's headers (lower-case names). Call
 * the returned function after `send`: undefined means no answer came back (dropped, never sent).
 */
export function captureResponseHeaders(command: S3Command): () => Readonly<Record<string, string>> | undefined {
  let headers: Record<string, string> | undefined;
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      headers = (result.response as { headers?: Record<string, string> }).headers;
      return result;
    },
    // Innermost of the last step: it sees the HTTP answer before the SDK parses it, error or not.
    { step: 'deserialize', priority: 'low', name: 'captureResponseHeaders' },
  );
  return () => headers;
}
