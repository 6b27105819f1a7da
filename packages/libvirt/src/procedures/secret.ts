// Secret procedures (the cephx key an rbd pool and its guests authenticate with), and the
// domain's block resize that grows an attached disk under a running guest.
import { readUuid, writeDomain, writeUuid, type Domain } from '../types.js';
import type { XdrReader, XdrWriter } from '../xdr.js';
import { dec } from './base.js';
import { NetworkProcedures } from './network.js';
import { Proc } from './numbers.js';

/** A secret handle: its UUID and what it is for (SecretUsageType and the usage id). */
export interface Secret {
  uuid: string;
  usageType: number;
  usageId: string;
}

/** REMOTE_SECRET_VALUE_MAX: libvirt refuses longer values. */
const SECRET_VALUE_MAX = 65536;

const readSecret = (r: XdrReader): Secret => ({ uuid: readUuid(r), usageType: r.int(), usageId: r.string() });
const writeSecret = (w: XdrWriter, s: Secret): void => {
  writeUuid(w, s.uuid);
  w.int(s.usageType).string(s.usageId);
};

/** Secret procedures and block resize. */
export abstract class SecretProcedures extends NetworkProcedures {
  /** Defines (or redefines, same UUID or usage) a secret from XML; its value is set apart. */
  secretDefineXml(xml: string, flags = 0): Promise<Secret> {
    return this.call(Proc.SECRET_DEFINE_XML, (w) => w.string(xml).uint(flags), readSecret);
  }

  /** Sets a secret's value (the raw bytes, e.g. a cephx key decoded from base64). */
  secretSetValue(secret: Secret, value: Uint8Array, flags = 0): Promise<void> {
    return this.call(Proc.SECRET_SET_VALUE, (w) => {
      writeSecret(w, secret);
      w.opaque(value, SECRET_VALUE_MAX).uint(flags);
    });
  }

  /** A secret's value; libvirtd refuses it for private secrets. */
  secretGetValue(secret: Secret, flags = 0): Promise<Buffer> {
    return this.call(
      Proc.SECRET_GET_VALUE,
      (w) => {
        writeSecret(w, secret);
        w.uint(flags);
      },
      (r) => r.opaque(SECRET_VALUE_MAX),
    );
  }

  /** Looks a secret up by usage (e.g. CEPH and `client.kumo secret`); NO_SECRET if absent. */
  secretLookupByUsage(usageType: number, usageId: string): Promise<Secret> {
    return this.call(Proc.SECRET_LOOKUP_BY_USAGE, (w) => w.int(usageType).string(usageId), readSecret);
  }

  /** Looks a secret up by UUID; NO_SECRET if absent. */
  secretLookupByUuid(uuid: string): Promise<Secret> {
    return this.call(Proc.SECRET_LOOKUP_BY_UUID, (w) => writeUuid(w, uuid), readSecret);
  }

  /** The secret's XML (never its value). */
  secretGetXmlDesc(secret: Secret, flags = 0): Promise<string> {
    return this.call(
      Proc.SECRET_GET_XML_DESC,
      (w) => {
        writeSecret(w, secret);
        w.uint(flags);
      },
      dec.string,
    );
  }

  /** Removes a secret. */
  secretUndefine(secret: Secret): Promise<void> {
    return this.call(Proc.SECRET_UNDEFINE, (w) => writeSecret(w, secret));
  }

  /**
   * Grows a running domain's disk (`disk` is its target, e.g. `vdb`, or its source path) to
   * `size`: bytes with BlockResizeFlags.BYTES, KiB without. The guest sees the new size at once.
   */
  domainBlockResize(dom: Domain, disk: string, size: bigint | number, flags = 0): Promise<void> {
    return this.call(Proc.DOMAIN_BLOCK_RESIZE, (w) => {
      writeDomain(w, dom);
      w.string(disk).uhyper(size).uint(flags);
    });
  }
}
