// What an imported disk image's first bytes say about it. Only qcow2 is accepted (hosts use the
// image as the qcow2 backing file of each root disk), and only a self-contained one: a backing
// file or an external data file named in the header would be opened by the host's QEMU — a path
// chosen by whoever built the file, which could be any file on the host. Encrypted images cannot
// be booted unattended. Pure: the caller reads the header.

/** Bytes of the header this check reads (a qcow2 v3 header is 104 bytes; v2's is 72). */
export const QCOW2_HEADER_BYTES = 104;

const MAGIC = 0x514649fb; // 'QFI\xfb'
/** Incompatible feature bit 2: the guest data lives in an external file (qcow2 v3). */
const EXTERNAL_DATA_FILE = 1n << 2n;

/** A header that passed: what the image holds. */
export interface Qcow2Info {
  version: 2 | 3;
  virtualBytes: number;
}

/** Why an image's header was refused (said to the user in the import task's message). */
export class DiskImageRefused extends Error {}

/** Reads and checks a qcow2 header; throws DiskImageRefused naming what is wrong. */
export function checkQcow2Header(head: Buffer): Qcow2Info {
  if (head.length < 72 || head.readUInt32BE(0) !== MAGIC) {
    // A raw image has no header to recognise; naming it helps the user who sent one.
    throw new DiskImageRefused('the file is not a qcow2 image (convert it with qemu-img convert -O qcow2)');
  }
  const version = head.readUInt32BE(4);
  if (version !== 2 && version !== 3) throw new DiskImageRefused(`qcow2 version ${version} is not supported`);
  if (head.readBigUInt64BE(8) !== 0n) throw new DiskImageRefused('the image names a backing file');
  if (head.readUInt32BE(32) !== 0) throw new DiskImageRefused('the image is encrypted');
  if (version === 3) {
    if (head.length < QCOW2_HEADER_BYTES) throw new DiskImageRefused('the qcow2 header is truncated');
    if ((head.readBigUInt64BE(72) & EXTERNAL_DATA_FILE) !== 0n)
      throw new DiskImageRefused('the image keeps its data in an external file');
  }
  const size = head.readBigUInt64BE(24);
  if (size === 0n || size > BigInt(Number.MAX_SAFE_INTEGER)) throw new DiskImageRefused('bad virtual size');
  return { version, virtualBytes: Number(size) };
}
