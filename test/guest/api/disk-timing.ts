// The attach → visible / detach → gone timing loop the disk timing tests share (bench/disks runs
// them with more rounds). A loop inside the guest returns once the device is (or is no longer)
// there, so a time runs from the API call to the guest kernel's view, not over SSH round trips.
import { performance } from 'node:perf_hooks';

export interface TimingRun {
  rounds: number;
  /** Runs a command in the guest, resolving with its output. */
  sh: (cmd: string) => Promise<string>;
  /** A guest command that prints the disk's size, or `none` while it is absent. */
  sizeCmd: string;
  attach(): Promise<unknown>;
  detach(): Promise<unknown>;
  /** Resolves once the API shows the disk attached (or, for `detached`, available again). */
  attached(): Promise<unknown>;
  detached(): Promise<unknown>;
}

/** The p-th percentile of `xs` (nearest rank). */
export const percentile = (xs: number[], p: number): number =>
  [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

/** Attaches and detaches `rounds` times; the milliseconds of each. */
export async function timeAttachDetach(r: TimingRun): Promise<{ attach: number[]; detach: number[] }> {
  const waiter = async (present: boolean) => {
    const polls = await r.sh(
      `i=0; while [ $i -lt 3000 ]; do r=$(${r.sizeCmd}); ` +
        `[ "$r" ${present ? '!=' : '='} none ] && break; usleep 5000; i=$((i+1)); done; echo $i`,
    );
    if (Number(polls) >= 3000) throw new Error(`the guest never saw the disk ${present ? 'appear' : 'go'}`);
  };
  const attach: number[] = [];
  const detach: number[] = [];
  for (let i = 0; i < r.rounds; i++) {
    const seen = waiter(true);
    await new Promise((res) => setTimeout(res, 300));
    let t0 = performance.now();
    await r.attach();
    await seen;
    attach.push(performance.now() - t0);
    await r.attached();
    const gone = waiter(false);
    await new Promise((res) => setTimeout(res, 300));
    t0 = performance.now();
    await r.detach();
    await gone;
    detach.push(performance.now() - t0);
    await r.detached();
  }
  return { attach, detach };
}

/** `attach → visible p50 … p99 …; detach → gone p50 … p99 …`. */
export function timingSummary(t: { attach: number[]; detach: number[] }): string {
  const f = (x: number) => `${x.toFixed(0)} ms`;
  return (
    `attach → visible p50 ${f(percentile(t.attach, 50))} p99 ${f(percentile(t.attach, 99))}; ` +
    `detach → gone p50 ${f(percentile(t.detach, 50))} p99 ${f(percentile(t.detach, 99))}`
  );
}
