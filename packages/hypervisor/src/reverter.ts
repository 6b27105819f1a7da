// Undo stack for multi-step host operations: steps register their undo as they succeed, and a failure
// runs them in reverse. It never decides what to undo; callers do.

/** One undo action. */
export type Undo = () => Promise<void> | void;

/**
 * Collects undo steps; `fail()` runs them newest first unless `success()` was called. Use as
 * `const r = new Reverter(); try { …; r.add(undo); …; r.success(); } finally { await r.fail(); }`.
 */
export class Reverter {
  private steps: Undo[] = [];
  private done = false;
  /** Errors raised by undo steps during the last fail(); undo keeps going past them. */
  readonly undoErrors: unknown[] = [];

  /** Registers the undo of a step that just succeeded. */
  add(undo: Undo): void {
    this.steps.push(undo);
  }

  /** Marks the operation complete: fail() becomes a no-op. */
  success(): void {
    this.done = true;
    this.steps = [];
  }

  /** Runs the registered undo steps in reverse order, unless success() was called. */
  async fail(): Promise<void> {
    if (this.done) return;
    const steps = this.steps.reverse();
    this.steps = [];
    for (const undo of steps) {
      try {
        await undo();
      } catch (err) {
        this.undoErrors.push(err);
      }
    }
  }
}
