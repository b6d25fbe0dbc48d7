/**
 * What may happen to an invoice in each state, as pure functions that deny by default: a move or an
 * action not listed here is refused. The database trigger is the last line; this is the first, so
 * clients get a clear 409 with a stable code instead of a trigger error.
 */
import { AppError } from '../../../domain/errors.ts';
import type { Access } from '../../context.ts';
import type { InvoiceKind, InvoiceStatus } from './invoices.model.ts';

/** Every status change allowed, per kind; a credit note is never paid or credited itself. */
const MOVES: Readonly<Record<InvoiceKind, Partial<Record<InvoiceStatus, readonly InvoiceStatus[]>>>> = {
  invoice: {
    draft: ['issued'],
    issued: ['sent', 'partially_paid', 'paid', 'credited'],
    sent: ['partially_paid', 'paid', 'credited'],
    partially_paid: ['partially_paid', 'paid', 'credited'],
    paid: ['credited'],
  },
  credit_note: { draft: ['issued'], issued: ['sent'] },
};

/** True when an invoice of `kind` may move from `from` to `to`. */
export function canMove(kind: InvoiceKind, from: InvoiceStatus, to: InvoiceStatus): boolean {
  return MOVES[kind]?.[from]?.includes(to) ?? false;
}

/** What a use case wants to do with an existing invoice. */
export type InvoiceAction = 'edit' | 'delete' | 'issue' | 'credit';

/** Allowed, or refused with the stable code a client receives. */
export type Decision = { allowed: true } | { allowed: false; code: string; message: string };

const allow: Decision = { allowed: true };
const deny = (code: string, message: string): Decision => ({ allowed: false, code, message });

/** Decides whether `action` is allowed on an invoice in its current state. */
export function decide(
  invoice: { kind: InvoiceKind; status: InvoiceStatus },
  action: InvoiceAction,
): Decision {
  const { kind, status } = invoice;
  if (action === 'edit' || action === 'delete' || action === 'issue') {
    if (status === 'draft' && (action !== 'issue' || canMove(kind, 'draft', 'issued'))) return allow;
    return deny('invoice_already_issued', 'An issued invoice cannot change; correct it with a credit note');
  }
  if (action === 'credit') {
    if (kind !== 'invoice') return deny('credit_note_not_creditable', 'A credit note cannot be credited');
    if (status === 'draft')
      return deny('invoice_not_issued', 'Only an issued invoice can be credited; edit the draft');
    if (status === 'credited')
      return deny('invoice_already_credited', 'This invoice is already fully credited');
    if (canMove(kind, status, 'credited')) return allow;
  }
  return deny('invoice_action_not_allowed', 'Not allowed in the current state');
}

/** Throws the 409 for a refused action; returns for an allowed one. */
export function assertAllowed(
  invoice: { kind: InvoiceKind; status: InvoiceStatus },
  action: InvoiceAction,
): void {
  const decision = decide(invoice, action);
  if (!decision.allowed) throw new AppError('conflict', decision.code, decision.message);
}

/** Refuses changes by a read-only member (viewer); other roles and API clients pass to their scopes. */
export function assertMayWrite(access: Access | undefined): void {
  if (access?.role === 'viewer')
    throw new AppError('forbidden', 'forbidden', 'Viewers cannot change invoices');
}
