// Admin importImage: POST /admin/v1/images:import — registers a built image (manifest on the kumod machine) as public.
import { importImageBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';
import { imageView } from '../../views/image.js';

export default defineRoute({
  operation: 'importPublicImage',
  method: 'POST',
  path: '/admin/v1/images:import',
  admin: true,
  body: importImageBody,
  errors: ['invalidParameter'],
  handle: async (ctx) => ({ image: imageView(await ctx.services.images.import(ctx.body)) }),
});
