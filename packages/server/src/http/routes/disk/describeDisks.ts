// describeDisks: GET /v1/regions/{regionId}/disks — paged; filters diskId, instanceId, status, az, name, diskType.
import { defineRoute } from '../../route.js';
import { parseFilters, parsePage } from '../../params.js';
import { diskView } from '../../views/disk.js';

export default defineRoute({
  operation: 'describeDisks',
  method: 'GET',
  path: '/v1/regions/{regionId}/disks',
  errors: ['unknownFilter', 'unsupportedFilterOperator', 'pageSizeOutOfRange', 'pageNumberOutOfRange'],
  handle: async ({ services, account, regionId, query }) => {
    const page = parsePage(query);
    const f = parseFilters(query, {
      diskId: {},
      instanceId: {},
      status: {},
      az: {},
      name: {},
      diskType: {},
      instanceType: {},
      multiAttach: {},
      encrypted: {},
      chargeMode: {},
    });
    const r = await services.disks.describeDisks(
      { accountId: account.id, regionId },
      {
        ids: f.get('diskId'),
        instanceIds: f.get('instanceId'),
        statuses: f.get('status'),
        azs: f.get('az'),
        names: f.get('name'),
        diskTypes: f.get('diskType'),
      },
      page.offset,
      page.pageSize,
    );
    return { disks: r.items.map(diskView), totalCount: r.total };
  },
});
