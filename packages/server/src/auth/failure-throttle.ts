// Counts failed authentications per client address and per access key in fixed one-minute windows,
// so a guesser is refused (429) without costing a database lookup or a signature check. In memory,
// per kumod process: it protects this process's resources, not a global budget. Bounded in size.

/** How many keys one map may hold before the oldest window is dropped wholesale. */
const MAX_TRACKED = 50_000;

/** Failure counting with a limit per window. */
export class FailureThrottle {
  private windowStart: number;
  private counts = new Map<string, number>();

  constructor(
    private readonly limitPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.windowStart = now();
  }

  /** Whether `subject` (e.g. `ip:1.2.3.4`, `key:AK…`) has used up its failures this minute. */
  blocked(subject: string): boolean {
    this.roll();
    return (this.counts.get(subject) ?? 0) >= this.limitPerMinute;
  }

  /** Records one failure of each subject. */
  fail(...subjects: string[]): void {
    this.roll();
    if (this.counts.size >= MAX_TRACKED) this.counts.clear();
    for (const s of subjects) this.counts.set(s, (this.counts.get(s) ?? 0) + 1);
  }

  private roll(): void {
    const t = this.now();
    if (t - this.windowStart >= 60_000) {
      this.windowStart = t;
      this.counts = new Map();
    }
  }
}
