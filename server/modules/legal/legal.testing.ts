/** Test setup for the privacy center: the real app with configured operator details. Not a test file. */
import { buildApp } from '../../app.ts';
import type { ApiTest } from '../../test/api.ts';
import { makeServices, makeTenant } from '../../test/harness.ts';
import { addMember, mintAccessToken } from '../identity/testing.ts';
import { DEFAULT_LEGAL_SETTINGS, type LegalSettings } from './legal.settings.ts';

/** An operator as a configured deployment would name it. */
export const OPERATOR_SETTINGS: LegalSettings = {
  ...DEFAULT_LEGAL_SETTINGS,
  operator: {
    name: 'Kluisbeheer Noord B.V.',
    address: 'Vismarkt 12, 9712 CB Groningen',
    kvkNumber: '87654321',
    email: 'privacy@kluisbeheer.example',
  },
  publicUrl: 'https://kluis.example',
};

/** Like openApiTest, with the legal settings given. */
export async function openLegalTest(settings: LegalSettings = OPERATOR_SETTINGS): Promise<ApiTest> {
  const s = await makeServices();
  const { app } = await buildApp({ services: s, legal: settings });
  await app.ready();
  const tokenFor: ApiTest['tokenFor'] = async (tenant, role) =>
    mintAccessToken(s, { sub: await addMember(s, tenant.tenantId, role), kluis_tenant: tenant.tenantId });
  const a = await makeTenant(s, 'A');
  const b = await makeTenant(s, 'B');
  return {
    s,
    app,
    a,
    b,
    ownerA: await tokenFor(a, 'owner'),
    ownerB: await tokenFor(b, 'owner'),
    call: (method, url, token, payload) =>
      app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(payload !== undefined ? { payload: payload as object } : {}),
      }),
    tokenFor,
    async close() {
      await app.close();
      await s.close();
    },
  };
}
