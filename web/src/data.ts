/** Loaders shared by several screens. */
import { api } from './api.ts';
import type { Customer, Invoice, InvoiceSummary, Page, Settings } from './types.ts';

/** Follows the cursor up to `max` items: enough for the screens of a small business. */
async function all<T>(path: string, max = 1000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: Page<T> = await api<Page<T>>(
      'GET',
      `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}

/** Every customer of the business. */
export const listCustomers = () => all<Customer>('/api/v1/customers');

/** Invoices, optionally filtered by status or customer. */
export function listInvoices(filter: { status?: string; customerId?: string } = {}): Promise<Invoice[]> {
  const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]);
  const qs = q.toString();
  return all<Invoice>(`/api/v1/invoices${qs ? `?${qs}` : ''}`);
}

/** Invoice summaries (list columns and the customer's name): one call, no lines, for list screens. */
export function listInvoiceSummaries(
  filter: { status?: string; customerId?: string } = {},
): Promise<InvoiceSummary[]> {
  const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]);
  const qs = q.toString();
  return all<InvoiceSummary>(`/api/v1/invoices/summaries${qs ? `?${qs}` : ''}`);
}

/** The business's invoice settings, or undefined before the first run set them. */
export async function findSettings(): Promise<Settings | undefined> {
  try {
    return await api<Settings>('GET', '/api/v1/invoice-settings');
  } catch (e) {
    if ((e as { code?: string }).code === 'invoice_settings_missing') return undefined;
    throw e;
  }
}
