// Admin importImage: POST /admin/v1/images:import — registers a built image (manifest on the kumod machine) as public.
import { z } from 'zod';
import { imageView } from '../../../services/images.js';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'importImage',
  method: 'POST',
  path: '/admin/v1/images:import',
  admin: true,
  body: z.object({
    manifestPath: z.string().max(1024),
    regionId: z.string().regex(/^[a-z][a-z0-9-]{0,30}[0-9]$/),
    name: z.string().max(64).optional(),
    description: z.string().max(256).optional(),
    constraint: z
      .object({ kind: z.enum(['includes', 'excludes']), instanceTypes: z.array(z.string().max(64)).max(100) })
      .optional(),
  }),
  handle: async (ctx) => ({ image: imageView(await ctx.services.images.import(ctx.body)) }),
});
