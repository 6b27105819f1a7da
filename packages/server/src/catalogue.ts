// Loads the operator's instance type catalogue (YAML) at startup; a bad file is a ConfigError.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './config-error.js';

const catalogueSchema = z.object({
  families: z
    .array(
      z.object({
        family: z.string().regex(/^[a-z][a-z0-9]*\.[a-z0-9]+$/),
        desc: z.string().max(256),
        types: z
          .array(
            z.object({
              instanceType: z.string().regex(/^[a-z][a-z0-9]*\.[a-z0-9]+\.[a-z0-9]+$/),
              cpu: z.number().int().min(1).max(512),
              memoryMB: z
                .number()
                .int()
                .min(128)
                .max(16 * 1024 * 1024),
              nicLimit: z.number().int().min(1).max(32),
              nestedVirt: z.boolean().default(false),
              desc: z.string().max(256).optional(),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
});

/** One instance type of the catalogue. */
export interface InstanceTypeSpec {
  family: string;
  instanceType: string;
  cpu: number;
  memoryMB: number;
  nicLimit: number;
  nestedVirt: boolean;
  desc: string;
}

/** Loads and validates a catalogue file; a bad file stops the daemon with a ConfigError. */
export function loadCatalogue(file: string): InstanceTypeSpec[] {
  let parsed: z.infer<typeof catalogueSchema>;
  try {
    parsed = catalogueSchema.parse(parseYaml(readFileSync(file, 'utf8')));
  } catch (err) {
    throw new ConfigError(`KUMO_INSTANCE_TYPES: cannot use ${file}: ${(err as Error).message.slice(0, 500)}`);
  }
  const specs = parsed.families.flatMap((f) =>
    f.types.map((t) => ({
      ...t,
      family: f.family,
      desc: t.desc ?? `${f.desc}: ${t.cpu} vCPU, ${t.memoryMB} MiB`,
    })),
  );
  const seen = new Set<string>();
  for (const s of specs) {
    if (!s.instanceType.startsWith(`${s.family}.`)) {
      throw new ConfigError(`KUMO_INSTANCE_TYPES: ${s.instanceType} is not in family ${s.family}`);
    }
    if (seen.has(s.instanceType))
      throw new ConfigError(`KUMO_INSTANCE_TYPES: ${s.instanceType} listed twice`);
    seen.add(s.instanceType);
  }
  return specs;
}
