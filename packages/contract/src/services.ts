// Which JD Cloud service (the credential scope's service name) a request path belongs to. JD's
// services share one path space under /v1/regions/{regionId}; each SDK signs with its own service.

/** Collections of JD's vpc and disk services; everything else under a region is vm's. */
const COLLECTIONS: Record<string, 'vpc' | 'disk'> = {
  vpcs: 'vpc',
  subnets: 'vpc',
  networkSecurityGroups: 'vpc',
  networkInterfaces: 'vpc',
  elasticIps: 'vpc',
  routeTables: 'vpc',
  networkAcls: 'vpc',
  disks: 'disk',
  snapshots: 'disk',
};

/** The service a `/v1/regions/{regionId}/<collection>…` path belongs to: vm, vpc or disk. */
export function serviceOfPath(path: string): 'vm' | 'vpc' | 'disk' {
  const m = /^\/v1\/regions\/[^/]+\/([A-Za-z]+)/.exec(path);
  return (m && COLLECTIONS[m[1]!]) || 'vm';
}
