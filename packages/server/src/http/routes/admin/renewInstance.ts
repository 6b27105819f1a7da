// Admin renewInstance: POST /admin/v1/instances/{instanceId}:renew — adds a prepaid period
// (chargeUnit month|year, chargeDuration 1–9 months or 1–3 years) and returns the new charge.
import { renewInstanceBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';
import { formatJdChargeTime } from '../../views/time.js';

export default defineRoute({
  operation: 'renewInstance',
  method: 'POST',
  path: '/admin/v1/instances/{instanceId}:renew',
  admin: true,
  body: renewInstanceBody,
  errors: ['instanceNotFound', 'notPrepaid', 'invalidParameter', 'outOfRange', 'conflictWithTask'],
  handle: async ({ services, params, body, accessKey }) => {
    const i = await services.instanceCharges.renew(
      params.instanceId!,
      body.chargeUnit,
      body.chargeDuration,
      accessKey,
    );
    return {
      instanceId: i.id,
      chargeExpiredTime: formatJdChargeTime(i.charge.expiresAt!),
      chargeRetireTime: formatJdChargeTime(i.charge.retireAt!),
    };
  },
});
