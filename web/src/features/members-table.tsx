/**
 * The members of the business on the people screen, with what owners and admins may do to them
 * (Identity point 2): change a member's role (PUT /api/v1/members/{userId}) and remove a member
 * after a confirmation (DELETE /api/v1/members/{userId}). The server decides who may do what (only
 * an owner touches the owner role; the last owner stays) and its refusal is shown in words.
 */
import { useId, useState } from 'react';
import { api } from '../api.ts';
import { formatDate } from '../format.ts';
import { type Key, useT } from '../i18n.tsx';
import { Confirm, ErrorNote } from '../ui.tsx';

export interface Member {
  userId: string;
  email: string | null;
  role: string;
  since: string;
}

const ROLES = ['owner', 'admin', 'bookkeeper', 'viewer'] as const;

/** The members table with a role choice and a remove button per member. */
export function MembersTable(props: { members: readonly Member[]; onChanged: () => void }) {
  const t = useT();
  const [roles, setRoles] = useState<Record<string, string>>({});
  const [removing, setRemoving] = useState<Member>();
  const [notice, setNotice] = useState('');
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const selectId = useId();
  const who = (m: Member) => m.email ?? m.userId;

  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    setNotice('');
    setFailure(undefined);
    try {
      setNotice(await work());
      props.onChanged();
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  const saveRole = (m: Member) =>
    act(async () => {
      const role = roles[m.userId] ?? m.role;
      await api('PUT', `/api/v1/members/${encodeURIComponent(m.userId)}`, { role });
      setRoles((r) => {
        const { [m.userId]: _, ...rest } = r;
        return rest;
      });
      return t('members.roleChanged', { email: who(m), role: t(`role.${role}` as Key) });
    });
  const remove = (m: Member) =>
    act(async () => {
      setRemoving(undefined);
      await api('DELETE', `/api/v1/members/${encodeURIComponent(m.userId)}`);
      return t('members.removed', { email: who(m) });
    });

  return (
    <>
      <div className="table-wrap">
        <table>
          <caption className="sr-only">{t('team.members')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('customer.email')}</th>
              <th scope="col">{t('team.role')}</th>
              <th scope="col">{t('team.since')}</th>
              <th scope="col">
                <span className="sr-only">{t('members.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.members.map((m, index) => {
              const chosen = roles[m.userId] ?? m.role;
              return (
                <tr key={m.userId}>
                  <td>{m.email ?? ''}</td>
                  <td>
                    <label htmlFor={`${selectId}-${index}`} className="sr-only">
                      {t('members.changeRole', { email: who(m) })}
                    </label>
                    <select
                      id={`${selectId}-${index}`}
                      value={chosen}
                      onChange={(e) => setRoles((r) => ({ ...r, [m.userId]: e.target.value }))}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`role.${r}` as Key)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{formatDate(m.since)}</td>
                  <td>
                    <div className="actions">
                      <button
                        type="button"
                        className="secondary small"
                        disabled={busy || chosen === m.role}
                        aria-label={t('members.saveRoleNamed', { email: who(m) })}
                        onClick={() => void saveRole(m)}
                      >
                        {t('members.saveRole')}
                      </button>
                      <button
                        type="button"
                        className="secondary small"
                        disabled={busy}
                        aria-label={t('members.removeNamed', { email: who(m) })}
                        onClick={() => setRemoving(m)}
                      >
                        {t('members.remove')}
                      </button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {notice ? <p role="status">{notice}</p> : null}
      {failure ? <ErrorNote error={failure} /> : null}
      <Confirm
        open={removing !== undefined}
        title={t('members.removeConfirmTitle')}
        confirmLabel={t('members.remove')}
        busy={busy}
        onConfirm={() => removing && void remove(removing)}
        onCancel={() => setRemoving(undefined)}
      >
        <p>{removing ? t('members.removeConfirm', { email: who(removing) }) : ''}</p>
      </Confirm>
    </>
  );
}
