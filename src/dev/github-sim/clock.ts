/**
 * Time as GitHub shows it: ISO 8601 at one-second resolution ("2026-11-27T10:00:00Z").
 * `after` gives a stamp strictly later than an earlier one, so two updates to the same
 * pull request within one second still order (the second one is dated a second later).
 */
export class Clock {
  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Seconds since the epoch, now. */
  seconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  /** Now, as GitHub writes it. */
  iso(): string {
    return isoSeconds(this.seconds());
  }

  /** Now, or one second after `previous` when that is not earlier than now. */
  after(previous: string | null | undefined): string {
    const floor = previous ? Math.floor(Date.parse(previous) / 1000) + 1 : 0;
    return isoSeconds(Math.max(this.seconds(), floor));
  }
}

export function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
