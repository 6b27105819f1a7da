// What a CVM API 2.0 action file declares: its action name, the shared rate-limit bucket (the JD
// operation it maps onto) and a handler over the flat, decoded parameters.
import type { CvmContext } from '../cvm/action.js';

/** Parameters as API 2.0 sends them: flat names (`instanceIds.0`), string values. */
export type V2Params = Record<string, string>;

/** One API 2.0 action. */
export interface V2Action {
  action: string;
  /** The rate-limit bucket, shared with JD's operation and the 3.0 action. */
  operation: string;
  /** Returns the members of the answer besides code, message and codeDesc. */
  handle(ctx: CvmContext<V2Params>): Promise<object>;
}
