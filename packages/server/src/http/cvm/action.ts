// What a CVM action file declares: its Tencent action name, the shared rate-limit bucket, its
// parameter schema and a handler that calls services. Like JD routes, actions hold no policy.
import type { z } from 'zod';
import type { Account } from '@kumo/store';
import type { Services } from '../../services/index.js';

/** Everything an action gets about one authenticated request. */
export interface CvmContext<P> {
  requestId: string;
  /** The Tencent service of the action. */
  service: TencentService;
  account: Account;
  accessKey: string;
  /** X-TC-Region, checked to be served here (empty for region-less actions). */
  regionId: string;
  params: P;
  services: Services;
  /** The regions this control plane serves. */
  regions(): Promise<string[]>;
}

/** The Tencent services `POST /` serves, all at version 2017-03-12. */
export type TencentService = 'cvm' | 'vpc' | 'cbs';

/** One API 3.0 action (CVM's, or VPC's and CBS's over the network and storage planes). */
export interface CvmAction<S extends z.ZodType = z.ZodType> {
  /** Tencent's action name (X-TC-Action). */
  action: string;
  /** The Tencent service the action belongs to; `cvm` when absent. */
  service?: TencentService;
  /**
   * The rate-limit bucket: the JD operation the action maps onto (contract §5), so the per-API
   * budget is one across JD and both CVM APIs; actions without a JD twin use their own name.
   */
  operation: string;
  /** Actions such as DescribeRegions need no X-TC-Region. */
  regionless?: boolean;
  /** The parameters (PascalCase JSON body); unknown members are refused. */
  params: S;
  /** Returns the members of `Response` besides RequestId. */
  handle(ctx: CvmContext<z.infer<S>>): Promise<object>;
}

/** Identity helper that keeps the parameter type flowing from `params` to `handle`. */
export function defineAction<S extends z.ZodType>(a: CvmAction<S>): CvmAction<S> {
  return a;
}
