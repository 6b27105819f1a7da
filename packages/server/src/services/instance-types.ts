// describeInstanceTypes over the operator's catalogue and the free capacity of each AZ.
import type { InstanceTypeSpec } from '../catalogue.js';

/** Free capacity of one AZ, as the placement layer sees it. */
export interface AzCapacity {
  az: string;
  freeVcpus: number;
  freeMemoryMB: number;
  nestedVirt: boolean;
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
