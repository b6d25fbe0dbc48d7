/**
 * The customers API's schemas. The response schema is the allow-list of what leaves the server
 * (STYLE rule 2): a customer is always serialised through `Customer`, never as a row.
 */
import { Type } from 'typebox';
import { type Customer, type CustomerInput, customerFields } from './customers.service.ts';

const Str = (max: number) => Type.String({ maxLength: max });
const Opt = (max: number) => Type.Optional(Type.Union([Str(max), Type.Null()]));
const Language = Type.Union([Type.Literal('nl'), Type.Literal('en')]);
const Kind = Type.Union([Type.Literal('person'), Type.Literal('company')]);
const VatCategory = Type.Union(['S', 'Z', 'E', 'AE', 'K', 'G', 'O'].map((c) => Type.Literal(c)));

const AddressIn = Type.Object(
  { street: Opt(200), postalCode: Opt(20), city: Opt(100), country: Opt(2) },
  { additionalProperties: false },
);

const fields = {
  contactPerson: Opt(200),
  email: Opt(254),
  otherEmails: Type.Optional(Type.Array(Str(254), { maxItems: 10 })),
  phone: Opt(40),
  address: Type.Optional(AddressIn),
  iban: Opt(50),
  bic: Opt(11),
  accountHolder: Opt(200),
  vatNumber: Opt(20),
  kvkNumber: Opt(12),
  salutation: Opt(40),
  language: Type.Optional(Language),
  paymentTermDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
  defaultVatCategory: Type.Optional(Type.Union([VatCategory, Type.Null()])),
  peppolId: Opt(100),
  reference: Opt(200),
  notes: Opt(4000),
};

/** POST /api/v1/customers. */
export const CreateCustomerBody = Type.Object(
  { kind: Kind, name: Type.String({ minLength: 1, maxLength: 200 }), ...fields },
  { additionalProperties: false },
);

/** PATCH /api/v1/customers/{id}: any field; `version` guards against overwriting a concurrent change. */
export const UpdateCustomerBody = Type.Object(
  {
    kind: Type.Optional(Kind),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    ...fields,
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

const Nullable = Type.Union([Type.String(), Type.Null()]);

/** A customer as the API returns it. */
export const CustomerOut = Type.Object({
  id: Type.String(),
  kind: Kind,
  name: Type.String(),
  contactPerson: Nullable,
  email: Nullable,
  otherEmails: Type.Array(Type.String()),
  phone: Nullable,
  address: Type.Object({ street: Nullable, postalCode: Nullable, city: Nullable, country: Nullable }),
  iban: Nullable,
  bic: Nullable,
  accountHolder: Nullable,
  vatNumber: Nullable,
  kvkNumber: Nullable,
  salutation: Nullable,
  language: Language,
  paymentTermDays: Type.Integer(),
  defaultVatCategory: Nullable,
  peppolId: Nullable,
  reference: Nullable,
  notes: Nullable,
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** GET /api/v1/customers: a page, or an exact search on one identifier. */
export const ListCustomersQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    name: Type.Optional(Str(200)),
    email: Type.Optional(Str(254)),
    iban: Type.Optional(Str(50)),
    vatNumber: Type.Optional(Str(20)),
    kvkNumber: Type.Optional(Str(12)),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 254,
        description: 'Equals the name, e-mail, IBAN, VAT or KvK number (case and spaces ignored)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const CustomerPage = Type.Object({
  items: Type.Array(CustomerOut),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** The API shape of a customer. */
export function presentCustomer(c: Customer) {
  return {
    id: c.id,
    ...customerFields(c),
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** Drops the optimistic-lock field from a patch body. */
export function patchOf(body: Partial<CustomerInput> & { version?: number }): Partial<CustomerInput> {
  const { version: _version, ...patch } = body;
  return patch;
}
