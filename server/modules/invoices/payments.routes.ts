/** Payments on invoices over HTTP: thin routes, one use case each; amounts leave as decimal strings. */
import { Type } from 'typebox';
import { formatMinor } from '../../../domain/currency.ts';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { PAYMENT_METHODS, type Payment } from './payments.repo.ts';
import { listPayments, type PaymentState, recordPayment } from './payments.service.ts';

const Method = Type.Union(PAYMENT_METHODS.map((m) => Type.Literal(m)));

/** POST /api/v1/invoices/{id}/payments: an amount in the invoice's currency as a decimal string. */
const PaymentBody = Type.Object(
  {
    amount: Type.String({ maxLength: 40 }),
    date: Type.String({ maxLength: 10 }),
    method: Type.Optional(Type.Union([Method, Type.Null()])),
    reference: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  },
  { additionalProperties: false },
);

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Nullable = Type.Union([Type.String(), Type.Null()]);

const PaymentOut = Type.Object({
  id: Type.String(),
  invoiceId: Type.String(),
  amount: Type.String(),
  currency: Type.String(),
  date: Type.String(),
  method: Nullable,
  reference: Nullable,
  createdAt: Type.String(),
});

const StateOut = Type.Object({
  status: Type.String(),
  currency: Type.String(),
  payable: Type.String(),
  credited: Type.String(),
  paid: Type.String(),
  outstanding: Type.String(),
});

const RecordedOut = Type.Object({ payment: PaymentOut, invoice: StateOut });
const ListOut = Type.Object({ items: Type.Array(PaymentOut), invoice: StateOut });

function presentPayment(p: Payment) {
  return {
    id: p.id,
    invoiceId: p.invoiceId,
    amount: formatMinor(p.amountMinor, p.currency),
    currency: p.currency,
    date: p.date,
    method: p.method,
    reference: p.reference,
    createdAt: p.createdAt.toISOString(),
  };
}

function presentState(s: PaymentState) {
  const money = (minor: bigint) => formatMinor(minor, s.currency);
  return {
    status: s.status,
    currency: s.currency,
    payable: money(s.payableMinor),
    credited: money(s.creditedMinor),
    paid: money(s.paidMinor),
    outstanding: money(s.outstandingMinor),
  };
}

/** Registers /api/v1/invoices/{id}/payments. */
export function paymentsRoutes(app: App, services: Services): void {
  app.post(
    '/api/v1/invoices/:id/payments',
    // A retried payment must not be counted twice: the Idempotency-Key header replays the first answer.
    {
      schema: { params: Params, body: PaymentBody, response: { 201: RecordedOut } },
      config: { idempotent: true },
    },
    async (request, reply) => {
      const { payment, state } = await recordPayment(
        ctxOf(request, services),
        request.params.id,
        request.body,
      );
      return reply.status(201).send({ payment: presentPayment(payment), invoice: presentState(state) });
    },
  );

  app.get(
    '/api/v1/invoices/:id/payments',
    { schema: { params: Params, response: { 200: ListOut } } },
    async (request) => {
      const { payments, state } = await listPayments(ctxOf(request, services), request.params.id);
      return { items: payments.map(presentPayment), invoice: presentState(state) };
    },
  );
}
