// Version ids as the runner holds them: the string S3 gave each version, never empty or absent.

/**
 * The id S3 gives a version written while the bucket's versioning was off or suspended (every object
 * of a bucket never versioned has it): a real id, named in requests like any other.
 */
export const NULL_VERSION_ID = 'null';
