/**
 * Every audit action Kluis records, named `entity.past_tense` (STYLE rule 9). Adding an action
 * here is the only way to make it recordable; the comment says when it is written.
 */
export const AUDIT_ACTIONS = {
  /** A business (tenant) was created, with its keys. */
  'tenant.created': true,
  /** The tenant's keys were destroyed: everything encrypted for it is now unreadable. */
  'tenant.shredded': true,
  /** The tenant's keys were rewrapped under a new master key. */
  'tenant.keys_rewrapped': true,
  /** The audit log was exported (a bulk read that includes client addresses). */
  'audit.exported': true,
  /** Platform chain: a new token-signing key was made current; the old ones stay published a while. */
  'platform.signing_key_rotated': true,
  /** Platform chain: every business's keys and the deployment secrets moved to a new master key. */
  'platform.master_key_rotated': true,
  /** Platform chain: an operator account was created (TOTP from the start). */
  'platform.operator_created': true,
  /** Platform chain: the operator created a business from the console. */
  'platform.tenant_created': true,
  /** Platform chain: the operator destroyed a business's keys from the console. */
  'platform.tenant_shredded': true,
  /** Platform chain: the operator recorded a security incident (categories and encryption, no personal data). */
  'platform.incident_recorded': true,
  /** Platform chain: the businesses an incident affects were chosen and counted. */
  'platform.incident_scoped': true,
  /** Platform chain: an affected business's contact was sent the breach notice (and whether it was late). */
  'platform.incident_notified': true,
  /** Platform chain: an update was appended to an incident (sent to the businesses already notified). */
  'platform.incident_updated': true,
  /** Platform chain: an incident was closed, every affected business having been notified. */
  'platform.incident_closed': true,
  /** The operator sent this business a breach notice or an update of one (to its data-protection contact). */
  'incident.notified': true,
  /** Platform chain: the operator was alerted (objection, incident escalation); ids and counts only. */
  'platform.operator_alerted': true,
  /** A member marked an in-app notice read (for the whole business). */
  'notice.read': true,
  /** The owner ended the subscription (return and/or deletion, the retention deadline). */
  'subscription.ended': true,
  /** The owner resumed the subscription before the deletion deadline; nothing is deleted. */
  'subscription.resumed': true,
  /** The owner confirmed deletion now: the deletion deadline was brought forward. */
  'subscription.deletion_advanced': true,
  /** Platform chain: an ended business's rows were purged in batches (tables and row counts). */
  'platform.tenant_purged': true,
  /** Platform chain: a deletion certificate was signed and kept (its SHA-256, no personal data). */
  'platform.deletion_certified': true,
  /** Platform chain: an operator added a subprocessor from the console (every contact was mailed). */
  'platform.subprocessor_added': true,
  /** Platform chain: an operator read the register of processing across businesses (it names each contact). */
  'platform.register_read': true,
  /** An owner or admin asked for an export of all of the business's data (a bulk read). */
  'export.requested': true,
  /** The archive of an export was downloaded through its signed, time-limited link. */
  'export.downloaded': true,
  /** An export's archive expired and its encrypted blob was deleted. */
  'export.expired': true,
  /** A customer record was created. */
  'customer.created': true,
  /** A customer record was changed. */
  'customer.updated': true,
  /** A customer record was read in full (decrypted) by a person or client. */
  'customer.viewed': true,
  /** A page of customers was read (a bulk read of personal data). */
  'customer.listed': true,
  /** Customers were searched by a personal identifier. */
  'customer.searched': true,
  /** Customers were imported from a CSV file, all in one transaction (each also has customer.created). */
  'customer.imported': true,
  /** All customers were exported as CSV (a bulk read of personal data). */
  'customer.exported': true,
  /** A file was stored for the tenant. */
  'blob.stored': true,
  /** A mail was sent or put in the outbox. */
  'mail.sent': true,
  /** An owner or admin read the business's outbox list (recipients and subjects: personal data). */
  'mail.listed': true,
  /** An owner or admin opened one mail in the business's outbox. */
  'mail.viewed': true,
  /** An API client (integration) was created for the business, with its scopes. */
  'client.created': true,
  /** An API client was revoked; its secret and tokens stop working. */
  'client.revoked': true,
  /** A person let an interactive API client act for them with the named scopes (consent page). */
  'consent.granted': true,
  /** A person refused an interactive API client on the consent page. */
  'consent.denied': true,
  /** A person signed up, creating this business with themselves as owner. */
  'user.signed_up': true,
  /** A member of this business signed in (recorded in each business they belong to). */
  'user.signed_in': true,
  /** A sign-in of a member of this business failed (wrong password or second factor). */
  'user.sign_in_failed': true,
  /** A person became a member of this business, with a role. */
  'membership.created': true,
  /** An owner or admin invited an e-mail address to join this business with a role. */
  'invitation.sent': true,
  /** A member's role in this business was changed. */
  'membership.role_changed': true,
  /** A person was removed from this business. */
  'membership.removed': true,
  /** A member's tokens were revoked: signed out, or a refresh token revoked or replayed. */
  'user.tokens_revoked': true,
  /** A member changed their password. */
  'user.password_changed': true,
  /** Someone asked for a password-reset link for a member's address (the link was mailed to it). */
  'user.password_reset_requested': true,
  /** A member set a new password through a reset link; their sessions and tokens were revoked. */
  'user.password_reset': true,
  /** Someone tried to sign up with a member's address; the member was told by mail, nothing changed. */
  'user.sign_up_repeated': true,
  /** A person confirmed the address they signed up with; the account can now sign in. */
  'user.address_confirmed': true,
  /** A member turned on a second factor (TOTP) and received recovery codes. */
  'user.two_factor_enrolled': true,
  /** A member removed their second factor. */
  'user.two_factor_removed': true,
  /** A member used a one-time recovery code to sign in. */
  'user.recovery_code_used': true,
  /** The owner changed whether every member must use a second factor. */
  'business.two_factor_requirement_changed': true,
  /** A draft invoice was created. */
  'invoice.created': true,
  /** A draft invoice or credit note was changed. */
  'invoice.updated': true,
  /** A draft invoice or credit note was deleted (issued ones never are). */
  'invoice.deleted': true,
  /** An invoice or credit note was issued: numbered, its parties snapshotted, its content frozen. */
  'invoice.issued': true,
  /** An invoice with its party data was read in full (decrypted) by a person or client. */
  'invoice.viewed': true,
  /** A page of invoices with their party data was read (a bulk read of personal data). */
  'invoice.listed': true,
  /** An issued invoice became fully credited by its issued credit notes. */
  'invoice.credited': true,
  /** An issued invoice was sent: mailed by Kluis (the mail queued in the same transaction) or marked sent. */
  'invoice.sent': true,
  /** The PDFs and UBL files of the issued invoices of a period were downloaded as one ZIP (a bulk read). */
  'invoice.exported': true,
  /** A draft credit note was created for an issued invoice, in full or in part. */
  'credit_note.created': true,
  /** The seller details or the number format that invoices use were changed. */
  'invoice_settings.updated': true,
  /** A payment on an issued invoice was recorded; the invoice became partially paid or paid. */
  'invoice.payment_recorded': true,
  /** The payments of an invoice, with their references, were read. */
  'invoice.payments_viewed': true,
  /** A recurring invoice schedule was created for a customer. */
  'recurring.created': true,
  /** A schedule was changed, paused or resumed. */
  'recurring.updated': true,
  /** A schedule was deleted; the invoices it made stay. */
  'recurring.deleted': true,
  /** A schedule with its template was read. */
  'recurring.viewed': true,
  /** A page of schedules with their templates was read (a bulk read). */
  'recurring.listed': true,
  /** An occurrence of a schedule could not become an invoice, or could not be issued (with the code). */
  'recurring.occurrence_failed': true,
  /** A product was added to the catalogue. */
  'product.created': true,
  /** A product's name, price, unit or VAT was changed. */
  'product.updated': true,
  /** A product was archived: gone from the catalogue, kept for the record (invoices copied it). */
  'product.deleted': true,
  /** A draft quote was created. */
  'quote.created': true,
  /** A draft quote was changed. */
  'quote.updated': true,
  /** A draft quote was deleted (sent ones never are). */
  'quote.deleted': true,
  /** A quote was numbered, dated and marked sent to the customer. */
  'quote.sent': true,
  /** The customer accepted a quote; a draft invoice was made from it in the same transaction. */
  'quote.accepted': true,
  /** The customer declined a quote. */
  'quote.declined': true,
  /** The agreement (terms and processing agreement) was accepted in a version: at sign-up, or a new version later. */
  'agreement.accepted': true,
  /** The data-protection contact was set or changed (which also confirms it). */
  'privacy_contact.updated': true,
  /** The data-protection contact was confirmed unchanged (the yearly check). */
  'privacy_contact.confirmed': true,
  /** A data-subject request arrived through the public form (kind only; the person's details are encrypted in the request). */
  'subject_request.received': true,
  /** An owner or admin recorded a decision on a data-subject request: completed, refused or extended. */
  'subject_request.decided': true,
  /** An owner or admin searched the customers for the person of a data-subject request (a read of personal data). */
  'subject_request.matched': true,
  /** An owner or admin exported one person's data as a ZIP for a data-subject request (a bulk read). */
  'subject_request.exported': true,
  /** Processing of a customer was restricted (no new invoices or invoice mails), or an objection recorded, on a data-subject request. */
  'customer.restricted': true,
  /** A customer's restriction or objection was lifted by the business. */
  'customer.restriction_lifted': true,
  /** A customer's personal data was erased on a data-subject request (drafts deleted, issued invoices kept and restricted). */
  'customer.erased': true,
  /** A customer's personal data was rectified or completed on a data-subject request (field names only; issued invoices keep theirs). */
  'customer.rectified': true,
  /** An erased customer's issued invoice had its buyer details pseudonymised after its retention period ended (system). */
  'invoice.pseudonymised': true,
  /** The business chose notify-and-object or prior consent for new subprocessors. */
  'subprocessor_policy.changed': true,
  /** The business objected to a subprocessor, with a reason (the operator is alerted). */
  'subprocessor.objected': true,
  /** The business consented to a subprocessor (needed under the prior-consent policy). */
  'subprocessor.consented': true,
  /** The owner let the operator's staff read the business's records until a time (reason sealed in the grant). */
  'support.granted': true,
  /** The owner revoked a support grant; it opens nothing from then on. */
  'support.revoked': true,
  /** An operator read the business's records under a support grant (which grant, what was read). */
  'support.accessed': true,
  /** Platform chain: an operator read a business's records under its support grant. */
  'platform.support_accessed': true,
} as const;

/** A recordable audit action. */
export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** True for an action in the catalogue. */
export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, value);
}
