// Storage pool and volume procedures, including volume upload/download streams.
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { LibvirtStream } from '../stream.js';
import { Program } from '../rpc.js';
import {
  readNamed,
  readVol,
  writeNamed,
  writeUuid,
  writeVol,
  type StoragePool,
  type StorageVol,
} from '../types.js';
import type { XdrReader, XdrWriter } from '../xdr.js';
import { dec } from './base.js';
import { DomainProcedures } from './domain.js';
import { Proc } from './numbers.js';

/** STORAGE_POOL_GET_INFO result (bytes). */
export interface StoragePoolInfo {
  state: number;
  capacity: bigint;
  allocation: bigint;
  available: bigint;
}

/** STORAGE_VOL_GET_INFO result (bytes). */
export interface StorageVolInfo {
  type: number;
  capacity: bigint;
  allocation: bigint;
}

/** Range and flags of a volume upload or download; length 0 means "to the end". */
export interface VolTransferOptions {
  offset?: bigint | number;
  length?: bigint | number;
  flags?: number;
}

const poolArg = (p: StoragePool) => (w: XdrWriter) => writeNamed(w, p);
const poolFlags = (p: StoragePool, flags: number) => (w: XdrWriter) => {
  writeNamed(w, p);
  w.uint(flags);
};
const volArg = (v: StorageVol) => (w: XdrWriter) => writeVol(w, v);
const volFlags = (v: StorageVol, flags: number) => (w: XdrWriter) => {
  writeVol(w, v);
  w.uint(flags);
};

/** Storage pool and volume procedures. */
export abstract class StorageProcedures extends DomainProcedures {
  /** All storage pools matching ListStoragePoolsFlags (0 = all). */
  connectListAllStoragePools(flags = 0): Promise<StoragePool[]> {
    return this.call(
      Proc.CONNECT_LIST_ALL_STORAGE_POOLS,
      (w) => w.int(1).uint(flags),
      (r) => {
        const pools = r.array(readNamed, 16384);
        r.uint();
        return pools;
      },
    );
  }

  /** Looks a pool up by name; NO_STORAGE_POOL if absent. */
  storagePoolLookupByName(name: string): Promise<StoragePool> {
    return this.call(Proc.STORAGE_POOL_LOOKUP_BY_NAME, (w) => w.string(name), readNamed);
  }

  /** Looks a pool up by UUID. */
  storagePoolLookupByUuid(uuid: string): Promise<StoragePool> {
    return this.call(Proc.STORAGE_POOL_LOOKUP_BY_UUID, (w) => writeUuid(w, uuid), readNamed);
  }

  /** Defines a persistent pool. */
  storagePoolDefineXml(xml: string, flags = 0): Promise<StoragePool> {
    return this.call(Proc.STORAGE_POOL_DEFINE_XML, (w) => w.string(xml).uint(flags), readNamed);
  }

  /** Builds the pool's underlying storage (e.g. creates the directory). */
  storagePoolBuild(pool: StoragePool, flags = 0): Promise<void> {
    return this.call(Proc.STORAGE_POOL_BUILD, poolFlags(pool, flags));
  }

  /** Starts (activates) a defined pool. */
  storagePoolCreate(pool: StoragePool, flags = 0): Promise<void> {
    return this.call(Proc.STORAGE_POOL_CREATE, poolFlags(pool, flags));
  }

  /** Rescans the pool's volumes. */
  storagePoolRefresh(pool: StoragePool, flags = 0): Promise<void> {
    return this.call(Proc.STORAGE_POOL_REFRESH, poolFlags(pool, flags));
  }

  /** Stops a pool (its data stays). */
  storagePoolDestroy(pool: StoragePool): Promise<void> {
    return this.call(Proc.STORAGE_POOL_DESTROY, poolArg(pool));
  }

  /** Deletes the pool's underlying storage (e.g. removes the empty directory). */
  storagePoolDelete(pool: StoragePool, flags = 0): Promise<void> {
    return this.call(Proc.STORAGE_POOL_DELETE, poolFlags(pool, flags));
  }

  /** Removes an inactive pool's definition. */
  storagePoolUndefine(pool: StoragePool): Promise<void> {
    return this.call(Proc.STORAGE_POOL_UNDEFINE, poolArg(pool));
  }

  /** State and sizes of a pool. */
  storagePoolGetInfo(pool: StoragePool): Promise<StoragePoolInfo> {
    return this.call(Proc.STORAGE_POOL_GET_INFO, poolArg(pool), (r) => ({
      state: r.int(),
      capacity: r.uhyper(),
      allocation: r.uhyper(),
      available: r.uhyper(),
    }));
  }

  /** The pool XML. */
  storagePoolGetXmlDesc(pool: StoragePool, flags = 0): Promise<string> {
    return this.call(Proc.STORAGE_POOL_GET_XML_DESC, poolFlags(pool, flags), dec.string);
  }

  /** Sets whether the pool starts with libvirtd. */
  storagePoolSetAutostart(pool: StoragePool, autostart: boolean): Promise<void> {
    return this.call(Proc.STORAGE_POOL_SET_AUTOSTART, (w) => {
      writeNamed(w, pool);
      w.int(autostart ? 1 : 0);
    });
  }

  /** All volumes of a pool. */
  storagePoolListAllVolumes(pool: StoragePool, flags = 0): Promise<StorageVol[]> {
    return this.call(
      Proc.STORAGE_POOL_LIST_ALL_VOLUMES,
      (w) => {
        writeNamed(w, pool);
        w.int(1).uint(flags);
      },
      (r: XdrReader) => {
        const vols = r.array(readVol, 1 << 20);
        r.uint();
        return vols;
      },
    );
  }

  /** Creates a volume from XML (StorageVolCreateFlags). */
  storageVolCreateXml(pool: StoragePool, xml: string, flags = 0): Promise<StorageVol> {
    return this.call(
      Proc.STORAGE_VOL_CREATE_XML,
      (w) => {
        writeNamed(w, pool);
        w.string(xml).uint(flags);
      },
      readVol,
    );
  }

  /** Creates a volume from XML, filled with a copy of `clone`. */
  storageVolCreateXmlFrom(pool: StoragePool, xml: string, clone: StorageVol, flags = 0): Promise<StorageVol> {
    return this.call(
      Proc.STORAGE_VOL_CREATE_XML_FROM,
      (w) => {
        writeNamed(w, pool);
        w.string(xml);
        writeVol(w, clone);
        w.uint(flags);
      },
      readVol,
    );
  }

  /** Deletes a volume (StorageVolDeleteFlags). */
  storageVolDelete(vol: StorageVol, flags = 0): Promise<void> {
    return this.call(Proc.STORAGE_VOL_DELETE, volFlags(vol, flags));
  }

  /** Looks a volume up by name in a pool; NO_STORAGE_VOL if absent. */
  storageVolLookupByName(pool: StoragePool, name: string): Promise<StorageVol> {
    return this.call(
      Proc.STORAGE_VOL_LOOKUP_BY_NAME,
      (w) => {
        writeNamed(w, pool);
        w.string(name);
      },
      readVol,
    );
  }

  /** Looks a volume up by its path on the host. */
  storageVolLookupByPath(path: string): Promise<StorageVol> {
    return this.call(Proc.STORAGE_VOL_LOOKUP_BY_PATH, (w) => w.string(path), readVol);
  }

  /** Type and sizes of a volume. */
  storageVolGetInfo(vol: StorageVol): Promise<StorageVolInfo> {
    return this.call(Proc.STORAGE_VOL_GET_INFO, volArg(vol), (r) => ({
      type: r.int(),
      capacity: r.uhyper(),
      allocation: r.uhyper(),
    }));
  }

  /** The volume's path on the host. */
  storageVolGetPath(vol: StorageVol): Promise<string> {
    return this.call(Proc.STORAGE_VOL_GET_PATH, volArg(vol), dec.string);
  }

  /** The volume XML. */
  storageVolGetXmlDesc(vol: StorageVol, flags = 0): Promise<string> {
    return this.call(Proc.STORAGE_VOL_GET_XML_DESC, volFlags(vol, flags), dec.string);
  }

  /** Changes a volume's capacity (StorageVolResizeFlags). */
  storageVolResize(vol: StorageVol, capacity: bigint | number, flags = 0): Promise<void> {
    return this.call(Proc.STORAGE_VOL_RESIZE, (w) => {
      writeVol(w, vol);
      w.uhyper(capacity).uint(flags);
    });
  }

  /**
   * Opens an upload stream into a volume: write the bytes, then end() (resolves on the server's
   * confirmation via 'finish'), or destroy() to abort. Most callers want storageVolUpload.
   */
  async storageVolUploadStream(vol: StorageVol, opts: VolTransferOptions = {}): Promise<LibvirtStream> {
    return this.openVolStream(Proc.STORAGE_VOL_UPLOAD, vol, opts);
  }

  /**
   * Uploads `source` into a volume with backpressure (memory stays bounded whatever the size) and
   * resolves once libvirtd confirmed the data; a source error aborts the stream on the server.
   */
  async storageVolUpload(
    vol: StorageVol,
    source: Readable | AsyncIterable<Uint8Array>,
    opts: VolTransferOptions = {},
  ): Promise<void> {
    const stream = await this.storageVolUploadStream(vol, opts);
    await pipeline(source, stream);
  }

  /**
   * Downloads a volume as a readable stream (also an async iterable of Buffers). Reading slowly
   * pauses the whole connection (libvirt offers no per-stream flow control); destroy() aborts.
   */
  async storageVolDownload(vol: StorageVol, opts: VolTransferOptions = {}): Promise<LibvirtStream> {
    return this.openVolStream(Proc.STORAGE_VOL_DOWNLOAD, vol, opts);
  }

  private async openVolStream(
    proc: number,
    vol: StorageVol,
    opts: VolTransferOptions,
  ): Promise<LibvirtStream> {
    const rpc = this.rpc;
    const stream = new LibvirtStream(rpc, Program.REMOTE, proc);
    await rpc.call(
      Program.REMOTE,
      proc,
      (w) => {
        writeVol(w, vol);
        w.uhyper(opts.offset ?? 0)
          .uhyper(opts.length ?? 0)
          .uint(opts.flags ?? 0);
      },
      undefined,
      (serial) => stream.attach(serial),
    );
    return stream;
  }
}
