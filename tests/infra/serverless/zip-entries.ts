/**
 * The file names in a zip archive, read from its central directory (enough to check what a
 * deployment package holds; no decompression).
 */
export function zipEntryNames(zip: Buffer): string[] {
  const endSignature = 0x06054b50;
  const entrySignature = 0x02014b50;
  // The end-of-central-directory record is at least 22 bytes from the end (more with a comment).
  let end = -1;
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 22 - 0xffff); offset--) {
    if (zip.readUInt32LE(offset) === endSignature) {
      end = offset;
      break;
    }
  }
  if (end === -1) throw new Error('not a zip archive: no end-of-central-directory record');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(offset) !== entrySignature) throw new Error(`zip central directory entry ${index} is malformed`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
