/**
 * The setup every API test starts from: the real app on its own database, two businesses A and B,
 * an owner token for each, and `call` to send an authenticated request. Tests add what they need
 * (other roles through `tokenFor`, invoice settings) on top.
 */
import type { LightMyRequestResponse } from 'fastify';
import { type App, buildApp } from '../app.ts';
import type { Ctx, Role } from '../context.ts';
import { addMember, mintAccessToken } from '../modules/identity/testing.ts';
import { makeServices, makeTenant, type TestServices } from './harness.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** The app, two businesses with an owner token each, and helpers; `close` tears it all down. */
export interface ApiTest {
  s: TestServices;
  app: App;
  a: Ctx;
  b: Ctx;
  ownerA: string;
  ownerB: string;
  /** Sends a request with the bearer token; `payload` is JSON when given. */
  call(method: Method, url: string, token: string, payload?: unknown): Promise<LightMyRequestResponse>;
  /** A token for a new member of `tenant` with `role`. */
  tokenFor(tenant: Ctx, role: Role): Promise<string>;
  close(): Promise<void>;
}

/** Builds the app on a fresh database with businesses A and B. */
export async function openApiTest(): Promise<ApiTest> {
  const s = await makeServices();
  const { app } = await buildApp({ services: s });
  await app.ready();
  const tokenFor = async (tenant: Ctx, role: Role) =>
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
