/**
 * The recurring invoices API's schemas: camelCase JSON, amounts and quantities as decimal strings in
 * the template, dates as 'YYYY-MM-DD'. The response schema is the allow-list of what leaves.
 */
import { Type } from 'typebox';
import type { Occurrence, Schedule } from './recurring.model.ts';

const Str = (max: number) => Type.String({ maxLength: max });
const Opt = (max: number) => Type.Optional(Type.Union([Str(max), Type.Null()]));
const Dec = Str(40);
const strict = { additionalProperties: false };
const VatCategory = Type.Union(['S', 'Z', 'E', 'AE', 'K', 'G', 'O'].map((c) => Type.Literal(c)));
const Nullable = Type.Union([Type.String(), Type.Null()]);

const Discount = Type.Union([Type.Object({ percent: Dec }, strict), Type.Object({ amount: Dec }, strict)]);
const adjustment = { reason: Type.Optional(Str(100)), vatCategory: VatCategory, vatRate: Dec };
const Adjustment = Type.Union([
  Type.Object({ percent: Dec, ...adjustment }, strict),
  Type.Object({ amount: Dec, ...adjustment }, strict),
]);

const Line = Type.Object(
  {
    description: Str(1000),
    quantity: Dec,
    unit: Type.Optional(Str(3)),
    unitPrice: Dec,
    priceBaseQuantity: Type.Optional(Dec),
    discount: Type.Optional(Type.Union([Discount, Type.Null()])),
    vatCategory: VatCategory,
    vatRate: Dec,
  },
  strict,
);

/** What every occurrence's invoice contains. */
const TemplateSchema = Type.Object(
  {
    currency: Type.Optional(Str(3)),
    lines: Type.Array(Line, { minItems: 1, maxItems: 1000 }),
    buyerReference: Opt(200),
    orderReference: Opt(200),
    paymentTermDays: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 365 }), Type.Null()])),
    paymentTerms: Opt(500),
    notes: Opt(4000),
    deliveryCountry: Opt(2),
    exemptionReason: Opt(500),
    exemptionReasonCode: Opt(30),
    allowances: Type.Optional(Type.Array(Adjustment, { maxItems: 100 })),
    charges: Type.Optional(Type.Array(Adjustment, { maxItems: 100 })),
  },
  strict,
);

const Frequency = Type.Union(['monthly', 'quarterly', 'yearly', 'custom'].map((f) => Type.Literal(f)));
const Interval = Type.Object(
  {
    unit: Type.Union(['day', 'week', 'month'].map((u) => Type.Literal(u))),
    count: Type.Integer({ minimum: 1, maximum: 366 }),
  },
  strict,
);
const Mode = Type.Union([Type.Literal('draft'), Type.Literal('issue')]);

const fields = {
  customerId: Str(64),
  template: TemplateSchema,
  frequency: Frequency,
  interval: Type.Optional(Type.Union([Interval, Type.Null()])),
  startDate: Str(10),
  endDate: Opt(10),
  mode: Mode,
};

/** POST /api/v1/recurring-invoices. */
export const CreateScheduleBody = Type.Object(fields, strict);

/** PATCH /api/v1/recurring-invoices/{id}: any subset; `template` replaces the whole template. */
export const UpdateScheduleBody = Type.Object(
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Type.Optional(v)])) as {
    [K in keyof typeof fields]: ReturnType<typeof Type.Optional<(typeof fields)[K]>>;
  },
  strict,
);

/** GET /api/v1/recurring-invoices. */
export const ListSchedulesQuery = Type.Object(
  {
    customerId: Type.Optional(Str(64)),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('paused')])),
    cursor: Type.Optional(Str(64)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  strict,
);

/** The id in a schedule route. */
export const IdParams = Type.Object({ id: Str(64) });

/** A schedule as the API returns it. */
export const ScheduleOut = Type.Object({
  id: Type.String(),
  customerId: Type.String(),
  template: Type.Unsafe<Record<string, unknown>>(Type.Object({}, { additionalProperties: true })),
  frequency: Type.String(),
  interval: Type.Object({ unit: Type.String(), count: Type.Integer() }),
  startDate: Type.String(),
  endDate: Nullable,
  mode: Type.String(),
  status: Type.String(),
  nextOccurrence: Nullable,
  lastOccurrence: Nullable,
  lastError: Nullable,
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** A page of schedules. */
export const SchedulePage = Type.Object({
  items: Type.Array(ScheduleOut),
  nextCursor: Nullable,
});

/** The occurrences of a schedule. */
export const OccurrenceList = Type.Object({
  items: Type.Array(
    Type.Object({ date: Type.String(), invoiceId: Type.String(), state: Type.String(), errorCode: Nullable }),
  ),
});

/** The API shape of a schedule. */
export function presentSchedule(s: Schedule) {
  return {
    id: s.id,
    customerId: s.customerId,
    template: s.template,
    frequency: s.frequency,
    interval: s.interval,
    startDate: s.startDate,
    endDate: s.endDate,
    mode: s.mode,
    status: s.status,
    nextOccurrence: s.status === 'active' ? s.nextDate : null,
    lastOccurrence: s.lastDate,
    lastError: s.lastError,
    version: s.version,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

/** The API shape of an occurrence. */
export function presentOccurrence(o: Occurrence) {
  return { date: o.date, invoiceId: o.invoiceId, state: o.state, errorCode: o.errorCode };
}
