// The operator's instance type catalogue (loaded once at startup) and describeInstanceTypes.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../config.js';

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

/** Free capacity of one AZ, as the placement layer sees it. */
export interface AzCapacity {
  az: string;
  freeVcpus: number;
  freeMemoryMB: number;
  nestedVirt: boolean;
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

/** describeInstanceTypes over the catalogue and the current free capacity per AZ. */
export class InstanceTypeService {
  private readonly byName: Map<string, InstanceTypeSpec>;

  constructor(
    readonly catalogue: readonly InstanceTypeSpec[],
    private readonly capacity: () => Promise<AzCapacity[]>,
  ) {
    this.byName = new Map(catalogue.map((t) => [t.instanceType, t]));
  }

  /** The named type, if the catalogue has it. */
  find(instanceType: string): InstanceTypeSpec | undefined {
    return this.byName.get(instanceType);
  }

  /** Types matching the filters, each with `state[]` for every AZ that has (or lacks) room. */
  async describe(filters: { instanceTypes?: string[]; az?: string[] }) {
    const azs = (await this.capacity()).filter((c) => !filters.az || filters.az.includes(c.az));
    const types = this.catalogue.filter(
      (t) => !filters.instanceTypes || filters.instanceTypes.includes(t.instanceType),
    );
    const instanceTypes = types
      .map((t) => ({
        family: t.family,
        instanceType: t.instanceType,
        cpu: t.cpu,
        memoryMB: t.memoryMB,
        nicLimit: t.nicLimit,
        desc: t.desc,
        state: azs.map((c) => ({
          az: c.az,
          inStock: c.freeVcpus >= t.cpu && c.freeMemoryMB >= t.memoryMB && (!t.nestedVirt || c.nestedVirt),
        })),
        gpu: { model: '', number: 0 },
        localDisks: [],
      }))
      // Asking for an AZ means "types offered there": with no host in it, nothing is offered.
      .filter((t) => !filters.az || t.state.length > 0);
    return { instanceTypes, specificInstanceTypes: [], totalCount: instanceTypes.length };
  }
}
