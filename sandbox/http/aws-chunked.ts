// Decodes SigV4 streaming bodies (`Content-Encoding: aws-chunked`), which the SDK sends for
// streamed uploads with trailing checksums; signatures and trailers are read past, not checked.

/** True when the request body is in aws-chunked framing. */
export function isAwsChunked(contentSha256: string | undefined, contentEncoding: string | undefined): boolean {
  return (
    (contentSha256?.startsWith('STREAMING-') ?? false) || (contentEncoding?.split(',').some((e) => e.trim() === 'aws-chunked') ?? false)
  );
}

export function decodeAwsChunked(body: Buffer): Buffer {
  const chunks: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) throw new Error('aws-chunked body: chunk header without CRLF');
    const sizeField = body.subarray(offset, lineEnd).toString('latin1').split(';')[0]!.trim();
    const size = parseInt(sizeField, 16);
    if (Number.isNaN(size)) throw new Error(`aws-chunked body: bad chunk size '${sizeField}'`);
    offset = lineEnd + 2;
    if (size === 0) break;
    chunks.push(body.subarray(offset, offset + size));
    offset += size + 2;
  }
  return Buffer.concat(chunks);
}
