// The runner's one retry layer is the SDK's: standard mode, a bounded number of attempts per call,
// each attempt bounded by the request handler's timeouts (clients.ts). What the SDK cannot retry, a
// response body cut off while it is being read, is retried here, and only that.
import { httpStatus } from './errors';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads of a whole body retried when the stream broke: an answer from the service is never retried twice. */
export const BODY_READ_ATTEMPTS = 3;

/**
 * Runs `read` (a GetObject and the reading of its body) again when its body stream failed. An error
 * the service answered (it carries an HTTP status) was already retried by the SDK and is thrown as is.
 */
export async function readWhole<T>(read: () => Promise<T>, attempts = BODY_READ_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= attempts || httpStatus(error) !== undefined) throw error;
      await sleep(100 * 2 ** attempt);
    }
  }
}
