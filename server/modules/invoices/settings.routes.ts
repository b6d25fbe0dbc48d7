/**
 * `GET` and `PUT /api/v1/invoice-settings`: the seller details and numbering a business's invoices
 * use (the web app's business settings and first run). Thin: the rules are settings.service.ts's.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import type { InvoiceSettings } from './settings.repo.ts';
import { getInvoiceSettings, setInvoiceSettings } from './settings.service.ts';

const Opt = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));
const Nullable = Type.Union([Type.String(), Type.Null()]);

const SettingsBody = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    address: Type.Optional(
      Type.Object(
        {
          street: Opt(200),
          postalCode: Opt(20),
          city: Opt(100),
          country: Type.Optional(Type.String({ maxLength: 2 })),
        },
        { additionalProperties: false },
      ),
    ),
    vatNumber: Opt(20),
    kvkNumber: Opt(12),
    iban: Opt(50),
    bic: Opt(11),
    email: Opt(254),
    phone: Opt(40),
    // The schema only bounds the body; the service refuses more than 120 with 422 representative_too_long.
    representative: Type.Optional(
      Type.Union([Type.String({ maxLength: 1000 }), Type.Null()], {
        description:
          'Who represents the business in its processing agreement, e.g. "J. de Vries, directeur" (at most 120 characters); left out keeps it, null clears it',
      }),
    ),
    isKor: Type.Optional(Type.Boolean()),
    numberFormat: Type.Optional(Type.String({ maxLength: 40 })),
    defaultPaymentTermDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
  },
  { additionalProperties: false },
);

const SettingsOut = Type.Object({
  name: Type.String(),
  address: Type.Object({ street: Nullable, postalCode: Nullable, city: Nullable, country: Type.String() }),
  vatNumber: Nullable,
  kvkNumber: Nullable,
  iban: Nullable,
  bic: Nullable,
  email: Nullable,
  phone: Nullable,
  representative: Nullable,
  isKor: Type.Boolean(),
  numberFormat: Type.String(),
  defaultPaymentTermDays: Type.Integer(),
  updatedAt: Type.String(),
});

/** The API shape of the settings: the request's shape plus when they last changed. */
function presentSettings(s: InvoiceSettings) {
  const { seller } = s;
  return {
    name: seller.name,
    address: {
      street: seller.street,
      postalCode: seller.postalCode,
      city: seller.city,
      country: seller.country,
    },
    vatNumber: seller.vatNumber,
    kvkNumber: seller.kvkNumber,
    iban: seller.iban,
    bic: seller.bic,
    email: seller.email,
    phone: s.phone,
    representative: s.representative,
    isKor: seller.isKor,
    numberFormat: s.numberFormat,
    defaultPaymentTermDays: s.defaultPaymentTermDays,
    updatedAt: s.updatedAt.toISOString(),
  };
}

/** Registers /api/v1/invoice-settings; a business without settings gets 409 invoice_settings_missing. */
export function invoiceSettingsRoutes(app: App, services: Services): void {
  app.get(
    '/api/v1/invoice-settings',
    {
      schema: { summary: 'Get the seller details and numbering of invoices', response: { 200: SettingsOut } },
    },
    async (request) => presentSettings(await getInvoiceSettings(ctxOf(request, services))),
  );
  app.put(
    '/api/v1/invoice-settings',
    {
      schema: {
        summary: 'Set the seller details and numbering of invoices',
        body: SettingsBody,
        response: { 200: SettingsOut },
      },
    },
    async (request) => presentSettings(await setInvoiceSettings(ctxOf(request, services), request.body)),
  );
}
