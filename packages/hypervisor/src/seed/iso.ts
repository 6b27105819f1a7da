// Packs seed files into an ISO9660 image labelled `cidata` with genisoimage on this machine; it only
// builds bytes and never talks to a host.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Builds an ISO9660 image (Joliet + Rock Ridge names) labelled `cidata` holding `files`. */
export async function buildSeedIso(files: Record<string, string>): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'kumo-seed-'));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    return await new Promise<Buffer>((resolve, reject) => {
      // -r (not -R) and a fixed date keep the image byte-for-byte reproducible for the same files.
      // env(1) sets the date on top of the inherited environment, which this package never reads.
      const args = ['SOURCE_DATE_EPOCH=0', 'genisoimage', '-quiet', '-V', 'cidata', '-J', '-r'];
      const p = spawn('env', [...args, '-input-charset', 'utf-8', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      p.stdout.on('data', (b: Buffer) => out.push(b));
      p.stderr.on('data', (b: Buffer) => err.push(b));
      p.on('error', reject);
      p.on('close', (code) =>
        code === 0
          ? resolve(Buffer.concat(out))
          : reject(new Error(`genisoimage exited ${code}: ${Buffer.concat(err).toString().trim()}`)),
      );
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
