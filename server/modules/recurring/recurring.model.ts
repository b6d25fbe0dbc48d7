/**
 * The shapes of recurring invoices: the template (what every occurrence's invoice contains), the
 * rule (how often) and the schedule as use cases return it.
 */
import type { RecurrenceRule } from '../../../domain/recurrence.ts';
import type { DraftInput } from '../invoices/index.ts';

/** What each occurrence's invoice contains: a draft's content without its customer and dates. */
export type Template = Omit<
  DraftInput,
  'customerId' | 'issueDate' | 'dueDate' | 'supplyDate' | 'periodStart' | 'periodEnd' | 'exchangeRate'
>;

/** A named frequency, or `custom` with its own interval. */
export type Frequency = 'monthly' | 'quarterly' | 'yearly' | 'custom';
/** `draft` leaves each invoice for the business to check and issue; `issue` issues it at once. */
export type Mode = 'draft' | 'issue';
/** A paused schedule produces nothing until it is resumed. */
export type ScheduleStatus = 'active' | 'paused';

/** What a client sends to create a schedule. */
export interface ScheduleInput {
  customerId: string;
  template: Template;
  frequency: Frequency;
  /** Required for `custom`; ignored otherwise. */
  interval?: RecurrenceRule | null;
  startDate: string;
  endDate?: string | null;
  mode: Mode;
}

/** A change: any subset; `template`, when given, replaces the whole template. */
export type SchedulePatch = Partial<ScheduleInput>;

/** A schedule as use cases return it. */
export interface Schedule {
  id: string;
  customerId: string;
  template: Template;
  frequency: Frequency;
  interval: RecurrenceRule;
  startDate: string;
  endDate: string | null;
  mode: Mode;
  status: ScheduleStatus;
  nextIndex: number;
  /** The next occurrence's date; null once the end date has passed. */
  nextDate: string | null;
  lastDate: string | null;
  lastError: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** How far an occurrence got. */
export type OccurrenceState = 'created' | 'pending_issue' | 'issued' | 'issue_failed';

/** One date of a schedule and the invoice it produced. */
export interface Occurrence {
  scheduleId: string;
  date: string;
  invoiceId: string;
  state: OccurrenceState;
  errorCode: string | null;
}
