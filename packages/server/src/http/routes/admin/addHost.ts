// Admin addHost: POST /admin/v1/hosts — registers a libvirt host after connecting to it.
import { z } from 'zod';
import { hostView } from '../../../services/hosts.js';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'addHost',
  method: 'POST',
  path: '/admin/v1/hosts',
  admin: true,
  body: z.object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
    uri: z
      .string()
      .regex(/^qemu(\+(unix|tcp|tls|ssh))?:\/\/[^\s]*\/system(\?[^\s]*)?$/)
      .max(512),
    regionId: z.string().regex(/^[a-z][a-z0-9-]{0,30}[0-9]$/),
    az: z.string().max(40),
    poolPath: z.string().regex(/^\/[A-Za-z0-9._/-]{1,255}$/),
    accelerator: z.enum(['kvm', 'qemu', 'probe']).default('probe'),
    cpuRatio: z.number().positive().max(64).default(4),
    memoryRatio: z.number().positive().max(4).default(1),
    diskRatio: z.number().positive().max(64).default(4),
  }),
  handle: async (ctx) => ({ host: hostView(await ctx.services.hosts.add(ctx.body)) }),
});
