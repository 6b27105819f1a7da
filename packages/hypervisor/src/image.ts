// The image manifest images/build.sh writes (and operators write for their own images), with a
// validator; describes files only, never touches a host.
import type { Readable } from 'node:stream';

/** One file of an image, as the manifest lists it. */
export interface ImageFile {
  path: string;
  bytes: number;
  sha256: string;
}

/** How an image boots: Kumo passes kernel/initrd/cmdline, or the image's own bootloader runs. */
export type ImageBoot = { mode: 'direct'; cmdline: string } | { mode: 'firmware' };

/** An image manifest (`manifest.json` beside the image files). */
export interface ImageManifest {
  name: string;
  os: string;
  version: string;
  arch: string;
  rootDevice: 'virtio-blk';
  minDiskBytes: number;
  boot: ImageBoot;
  defaultUser: string;
  sshPasswordAuth: boolean;
  files: { root: ImageFile; kernel?: ImageFile; initrd?: ImageFile };
}

/**
 * Where one file's bytes come from: a path on the control-plane machine, or a function opening a
 * stream of them (an image store's object). Either way the host verifies what arrived.
 */
export type ImageFileSource = string | (() => Promise<Readable>);

/** The sources of an image's files, keyed like `ImageManifest.files`. */
export interface ImageFiles {
  root: ImageFileSource;
  kernel?: ImageFileSource;
  initrd?: ImageFileSource;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const SHA = /^[0-9a-f]{64}$/;

/** Checks a parsed manifest's shape; throws an Error naming the first bad field. */
export function validateManifest(m: ImageManifest): ImageManifest {
  const bad = (field: string): never => {
    throw new Error(`image manifest: bad or missing ${field}`);
  };
  if (typeof m !== 'object' || m === null) bad('manifest');
  if (!NAME.test(m.name ?? '')) bad('name');
  if (m.arch !== 'x86_64') bad('arch');
  if (!Number.isSafeInteger(m.minDiskBytes) || m.minDiskBytes <= 0) bad('minDiskBytes');
  if (!m.boot || (m.boot.mode !== 'direct' && m.boot.mode !== 'firmware')) bad('boot.mode');
  if (typeof m.defaultUser !== 'string' || !/^[a-z_][a-z0-9_-]*$/.test(m.defaultUser)) bad('defaultUser');
  const files: [string, ImageFile | undefined][] = [
    ['root', m.files?.root],
    ['kernel', m.files?.kernel],
    ['initrd', m.files?.initrd],
  ];
  for (const [k, f] of files) {
    if (f === undefined) {
      if (k === 'root' || (k === 'kernel' && m.boot.mode === 'direct')) bad(`files.${k}`);
      continue;
    }
    if (!SHA.test(f.sha256 ?? '')) bad(`files.${k}.sha256`);
    if (!Number.isSafeInteger(f.bytes) || f.bytes <= 0) bad(`files.${k}.bytes`);
  }
  return m;
}

/** The id Kumo uses for an image on a host: its name plus the start of its root file's sha256. */
export function imageKey(m: ImageManifest): string {
  return `${m.name}-${m.files.root.sha256.slice(0, 12)}`;
}
