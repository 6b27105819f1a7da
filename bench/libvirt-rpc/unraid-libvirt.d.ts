// The part of @unraid/libvirt this bench calls. The package is installed only into this folder by
// run.sh (it builds a native addon), so lint type-checks the bench against this declaration instead.
declare module '@unraid/libvirt' {
  /** An opaque domain handle of the native binding. */
  export interface Domain {
    readonly __brand: 'Domain';
  }
  export class Hypervisor {
    constructor(options: { uri: string });
    connectOpen(): Promise<void>;
    connectClose(): Promise<void>;
    domainLookupByName(name: string): Promise<Domain>;
    domainGetInfo(domain: Domain): Promise<unknown>;
  }
}
