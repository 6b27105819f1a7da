// The image registry: operators import images built by images/ (or their own qcow2 cloud images);
// users see public images of the region and their own, and the JD image operations act on them.
import { createReadStream, readFileSync, realpathSync, statSync } from 'node:fs';
import { importableFile, MAX_MANIFEST_BYTES, within } from './import-files.js';
import { dirname, join } from 'node:path';
import { Errors, ID_PATTERNS, IMAGE_NAME } from '@kumo/contract';
import { sha256File, validateManifest, type ImageManifest } from '@kumo/hypervisor';
import type { Account, HostsModel, ImageFilter, ImageRecord, ImagesModel } from '@kumo/store';
import type { HostAccess } from '../compute/host-registry.js';
import { imageFiles } from '../compute/image-files.js';
import { isImageStoreError, type ImageStore } from '../drivers/image-store.js';

const PLATFORMS: Record<string, string> = {
  debian: 'Debian',
  ubuntu: 'Ubuntu',
  centos: 'CentOS',
  busybox: 'Linux',
};

/** Image operations. */
export class ImageService {
  constructor(
    private readonly images: ImagesModel,
    private readonly hosts: HostsModel,
    private readonly registry: HostAccess,
    /** Directories admin imports may read from (Config.imageImportDirs). */
    private readonly importDirs: readonly string[],
    private readonly store: ImageStore,
    /** Removes the region's image bases no image names (rbd clones' parents; compute/image-bases.ts). */
    private readonly forgetBases: (regionId: string) => Promise<void> = async () => undefined,
  ) {}

  /**
   * Uploads an image to hosts ahead of first use (idempotent: a host that has it is quick).
   * Returns one outcome per host; a host that fails does not stop the others.
   */
  async prepull(imageId: string, hostIds?: string[]): Promise<{ hostId: string; outcome: string }[]> {
    const img = await this.images.get(imageId);
    if (!img) throw Errors.imageNotFound(imageId.slice(0, 64));
    const { manifest, files } = await imageFiles(img, this.store);
    const targets = (await this.hosts.list(img.regionId)).filter((h) =>
      hostIds ? hostIds.includes(h.id) || hostIds.includes(h.name) : h.health === 'up' && h.enabled,
    );
    const out: { hostId: string; outcome: string }[] = [];
    for (const h of targets) {
      try {
        await this.registry.with(h.id, (host) => host.ensureImage(manifest, files));
        out.push({ hostId: h.id, outcome: 'present' });
      } catch (err) {
        out.push({ hostId: h.id, outcome: `failed: ${(err as Error).message.slice(0, 200)}` });
      }
    }
    return out;
  }

  /**
   * Registers an image from a manifest file on the control-plane machine after checking every
   * file's size and sha256 (a corrupt build is refused here, not on a host later).
   */
  async import(opts: {
    manifestPath: string;
    regionId: string;
    name?: string;
    description?: string;
    constraint?: { kind: 'includes' | 'excludes'; instanceTypes: string[] };
  }): Promise<ImageRecord> {
    const manifestFile = importableFile(opts.manifestPath, this.importDirs, MAX_MANIFEST_BYTES);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(manifestFile, 'utf8'));
    } catch {
      // Never the parser's message: it quotes the file.
      throw Errors.invalidParameter('manifest', 'not valid JSON');
    }
    let manifest: ImageManifest;
    try {
      manifest = validateManifest(parsed as ImageManifest);
    } catch (err) {
      throw Errors.invalidParameter('manifest', (err as Error).message.slice(0, 200));
    }
    const dir = dirname(manifestFile);
    let size = 0;
    const checked: { real: string; sha256: string; bytes: number }[] = [];
    for (const [key, f] of Object.entries(manifest.files)) {
      if (!f) continue;
      const path = join(dir, f.path);
      // Beside the manifest, also once symlinks are resolved, and a regular file.
      let real: string | undefined;
      try {
        real = realpathSync(path);
      } catch {
        real = undefined;
      }
      if (!real || !within(real, dir) || !statSync(real).isFile())
        throw Errors.invalidParameter(`files.${key}`, 'missing');
      if (statSync(real).size !== f.bytes)
        throw Errors.invalidParameter(`files.${key}`, 'size differs from manifest');
      if ((await sha256File(real)) !== f.sha256)
        throw Errors.invalidParameter(`files.${key}`, 'sha256 mismatch');
      size += f.bytes;
      checked.push({ real, sha256: f.sha256, bytes: f.bytes });
    }
    const name = opts.name ?? manifest.name;
    if (!IMAGE_NAME.test(name)) throw Errors.invalidParameter('name');
    // Into the store before the row exists: a registered image always has its data, and every
    // kumod reading the store can feed hosts. A file changed since the check above is refused.
    for (const f of checked) {
      try {
        await this.store.put(createReadStream(f.real), { sha256: f.sha256, bytes: f.bytes });
      } catch (err) {
        if (isImageStoreError(err, 'CHECKSUM_MISMATCH') || isImageStoreError(err, 'SIZE_MISMATCH'))
          throw Errors.invalidParameter('files', 'changed while being imported');
        throw err;
      }
    }
    return this.images.create({
      regionId: opts.regionId,
      ownerAccountId: null,
      name,
      description: (opts.description ?? `${manifest.os} ${manifest.version} (${manifest.name})`).slice(
        0,
        256,
      ),
      imageSource: 'public',
      platform: PLATFORMS[manifest.os] ?? manifest.os,
      osType: 'linux',
      osVersion: manifest.version,
      architecture: manifest.arch,
      minDiskGB: Math.max(1, Math.ceil(manifest.minDiskBytes / 2 ** 30)),
      sizeBytes: size,
      filesDir: dir,
      manifest,
      constraint: opts.constraint ?? null,
    });
  }

  /** An image the account may see, or NOT_FOUND. */
  async get(regionId: string, account: Account, imageId: string): Promise<ImageRecord> {
    const img = ID_PATTERNS.image.test(imageId)
      ? await this.images.find(regionId, account.id, imageId)
      : undefined;
    if (!img) throw Errors.imageNotFound(imageId.slice(0, 64));
    return img;
  }

  /** describeImages. */
  describe(regionId: string, account: Account, f: ImageFilter, offset: number, limit: number) {
    return this.images.page(regionId, account.id, f, offset, limit);
  }

  /** modifyImageAttribute: owners change their images; only the admin changes public ones. */
  async modify(
    regionId: string,
    account: Account,
    imageId: string,
    patch: { name?: string; description?: string },
  ) {
    const img = await this.get(regionId, account, imageId);
    this.mustOwn(img, account);
    if (patch.name !== undefined && !IMAGE_NAME.test(patch.name)) {
      throw Errors.invalidParameter('name');
    }
    await this.images.update(img.id, patch);
  }

  /**
   * deleteImage: refused while any instance uses the image, while it is shared or being made.
   * The row goes first (the decision is the database's); store objects no other image names go
   * after, so a crash between the two leaves only an unreferenced object, never a row without data.
   */
  async delete(regionId: string, account: Account, imageId: string): Promise<void> {
    const img = await this.get(regionId, account, imageId);
    this.mustOwn(img, account);
    const out = await this.images.deleteUnlessUsed(img.id);
    if (out.r === 'in-use') throw Errors.imageInUse(img.id);
    if (out.r === 'shared') throw Errors.imageShared(img.id);
    if (out.r === 'pending') throw Errors.imageBusy(img.id);
    if (out.r !== 'deleted') throw Errors.imageNotFound(img.id);
    // Public images keep their objects: an admin re-import of the same build is then instant.
    if (out.record.ownerAccountId === null) return;
    // An import that failed before its data was stored has no files.
    for (const f of Object.values((out.record.manifest as Partial<ImageManifest>).files ?? {})) {
      if (f && !(await this.images.namesObject(f.sha256))) await this.store.remove(f.sha256);
    }
    await this.forgetBases(out.record.regionId);
  }

  /** Throws unless the account may change the image (its owner; the admin for public ones). */
  mustOwn(img: ImageRecord, account: Account): void {
    if (img.imageSource === 'shared') throw Errors.imageNotOwned(img.id);
    const owns = img.ownerAccountId === null ? account.isAdmin : img.ownerAccountId === account.id;
    if (!owns) throw Errors.adminOnly();
  }
}
