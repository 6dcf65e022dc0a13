// How the state names a direct pass: one record per pass kind and bucket, under this key.
import type { DirectPassRecord } from '../state';

/** The key of a bucket's pass in `state.direct`, e.g. `direct:my-bucket` or `outside-batch:my-bucket`. */
export function passId(pass: DirectPassRecord['pass'], bucket: string): string {
  return `${pass}:${bucket}`;
}
