/**
 * Invariant 8: time is a parameter. Everything that needs "now" (deadlines, audit times, job
 * schedules) receives a Clock, so tests can travel in time without touching the system clock.
 */

/** A source of the current time. */
export interface Clock {
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until a test moves it. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-01-01T09:00:00Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves the clock forward by the given milliseconds. */
  advance(ms: number): void {
    this.current += ms;
  }

  /** Sets the clock to a moment. */
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
