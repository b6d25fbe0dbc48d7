/**
 * Texts of the account pieces that the web app lacked (issue 7: every Identity capability usable
 * in the browser): changing one's password on the security screen, and changing a member's role or
 * removing them on the people screen. Kept apart from the core dictionary in i18n.tsx (which spreads
 * them in). Dutch is the source of the keys; the English object must have every key.
 */
export const nlAccount = {
  'password.title': 'Wachtwoord wijzigen',
  'password.current': 'Huidig wachtwoord',
  'password.new': 'Nieuw wachtwoord',
  'password.newHint':
    'Minstens 12 tekens. Een zin van drie of vier losse woorden is lang genoeg en makkelijk te onthouden.',
  'password.repeat': 'Nieuw wachtwoord nogmaals',
  'password.mismatch': 'De twee nieuwe wachtwoorden zijn niet gelijk.',
  'password.required': 'Vul dit in.',
  'password.submit': 'Wachtwoord wijzigen',
  'password.changed': 'Je wachtwoord is gewijzigd. Gebruik het de volgende keer dat je inlogt.',
  'error.invalid_credentials': 'Je huidige wachtwoord klopt niet.',
  'error.too_many_attempts': 'Te veel pogingen. Wacht even en probeer het opnieuw.',
  'error.password_too_short':
    'Gebruik minstens 12 tekens. Een zin van drie of vier losse woorden die niets met elkaar te maken hebben is lang genoeg en makkelijk te onthouden.',
  'error.password_too_long': 'Gebruik hoogstens 128 tekens.',
  'error.password_common':
    'Dit wachtwoord staat in lijsten met uitgelekte wachtwoorden die aanvallers als eerste proberen. Kies een ander.',
  'error.password_too_guessable':
    'Dit wachtwoord is te makkelijk te raden. Voeg een of twee woorden toe die niets met jou of je bedrijf te maken hebben.',
  'members.changeRole': 'Toegang van {email}',
  'members.saveRole': 'Opslaan',
  'members.saveRoleNamed': 'Nieuwe toegang van {email} opslaan',
  'members.remove': 'Verwijderen',
  'members.removeNamed': '{email} uit het bedrijf verwijderen',
  'members.removeConfirmTitle': 'Lid verwijderen?',
  'members.removeConfirm':
    '{email} kan daarna niet meer bij dit bedrijf. Uitgegeven facturen en de auditlog blijven zoals ze zijn.',
  'members.roleChanged': 'De rol van {email} is nu {role}.',
  'members.removed': '{email} is verwijderd.',
  'members.actions': 'Acties',
  'error.last_owner': 'Een bedrijf houdt minstens één eigenaar. Maak eerst iemand anders eigenaar.',
  'error.not_allowed': 'Je mag de leden van dit bedrijf niet beheren.',
  'clients.scopes': 'Wat mag de koppeling?',
  'clients.scope.customers.read': 'Klanten lezen',
  'clients.scope.customers.write': 'Klanten wijzigen',
  'clients.scope.invoices.read': 'Facturen lezen',
  'clients.scope.invoices.write': 'Facturen maken en wijzigen',
  'clients.scopeRequired': 'Kies minstens één recht.',
} as const;

export const enAccount: Record<keyof typeof nlAccount, string> = {
  'password.title': 'Change password',
  'password.current': 'Current password',
  'password.new': 'New password',
  'password.newHint':
    'At least 12 characters. A passphrase of three or four unrelated words is long enough and easy to remember.',
  'password.repeat': 'New password again',
  'password.mismatch': 'The two new passwords are not the same.',
  'password.required': 'Fill this in.',
  'password.submit': 'Change password',
  'password.changed': 'Your password has been changed. Use it the next time you sign in.',
  'error.invalid_credentials': 'Your current password is not right.',
  'error.too_many_attempts': 'Too many attempts. Wait a moment and try again.',
  'error.password_too_short':
    'Use at least 12 characters. A passphrase of three or four unrelated words is long enough and easy to remember.',
  'error.password_too_long': 'Use at most 128 characters.',
  'error.password_common':
    'This password appears in lists of leaked passwords that attackers try first. Choose another one.',
  'error.password_too_guessable':
    'This password is too easy to guess. Add a word or two that have nothing to do with you or your business.',
  'members.changeRole': 'Access of {email}',
  'members.saveRole': 'Save',
  'members.saveRoleNamed': 'Save the new access of {email}',
  'members.remove': 'Remove',
  'members.removeNamed': 'Remove {email} from the business',
  'members.removeConfirmTitle': 'Remove member?',
  'members.removeConfirm':
    '{email} will no longer have access to this business. Issued invoices and the audit log stay as they are.',
  'members.roleChanged': "{email}'s role is now {role}.",
  'members.removed': '{email} has been removed.',
  'members.actions': 'Actions',
  'error.last_owner': 'A business keeps at least one owner. Make someone else owner first.',
  'error.not_allowed': 'You may not manage the members of this business.',
  'clients.scopes': 'What may the integration do?',
  'clients.scope.customers.read': 'Read customers',
  'clients.scope.customers.write': 'Change customers',
  'clients.scope.invoices.read': 'Read invoices',
  'clients.scope.invoices.write': 'Create and change invoices',
  'clients.scopeRequired': 'Choose at least one right.',
};
