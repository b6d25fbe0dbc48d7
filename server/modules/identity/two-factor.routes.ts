/**
 * The signed-in person's own security (password, second factor) and the owner's requirement for
 * the business.
 * Thin routes: authenticate (the /api hook), validate, call one use case.
 */

import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { Type } from 'typebox';
import { AppError } from '../../../domain/errors.ts';
import type { App } from '../../app.ts';
import { ctxOf } from '../../http/auth.ts';
import { changePassword } from './accounts.service.ts';
import {
  finishPasskeyEnrolment,
  listPasskeys,
  removePasskey,
  renamePasskey,
  startPasskeyEnrolment,
} from './passkeys.service.ts';
import type { IdentityRuntime } from './runtime.ts';
import {
  confirmTotpEnrolment,
  getTwoFactorRequirement,
  removeSecondFactor,
  setTwoFactorRequirement,
  startTotpEnrolment,
} from './two-factor.service.ts';

const Code = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);

/** Registers the routes. */
export function twoFactorRoutes(app: App, rt: IdentityRuntime): void {
  const userOf = (request: Parameters<typeof ctxOf>[0]) => {
    const ctx = ctxOf(request, rt.services);
    if (ctx.actor.type !== 'user' || !ctx.actor.id) {
      throw new AppError('forbidden', 'users_only', 'Only people have second factors');
    }
    return { ctx, userId: ctx.actor.id, meta: { ip: request.ip, requestId: String(request.id) } };
  };

  app.post(
    '/api/v1/me/two-factor/totp',
    { schema: { response: { 201: Type.Object({ secret: Type.String(), uri: Type.String() }) } } },
    async (request, reply) => reply.status(201).send(await startTotpEnrolment(rt, userOf(request).userId)),
  );

  app.post(
    '/api/v1/me/two-factor/totp/confirm',
    { schema: { body: Code, response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }) } } },
    async (request) => {
      const { userId, meta } = userOf(request);
      return confirmTotpEnrolment(rt, userId, request.body.code, meta);
    },
  );

  app.post('/api/v1/me/two-factor/remove', { schema: { body: Code } }, async (request, reply) => {
    const { userId, meta } = userOf(request);
    await removeSecondFactor(rt, userId, request.body.code, meta);
    return reply.status(204).send();
  });

  app.post('/api/v1/me/two-factor/passkeys/options', async (request) =>
    startPasskeyEnrolment(rt, userOf(request).userId),
  );

  const PasskeyName = Type.String({ minLength: 1, maxLength: 60 });
  const PasskeyAnswer = Type.Object(
    {
      response: Type.Object({ id: Type.String(), response: Type.Object({}) }),
      name: Type.Optional(PasskeyName),
    },
    { additionalProperties: false },
  );
  app.post(
    '/api/v1/me/two-factor/passkeys',
    { schema: { body: PasskeyAnswer, response: { 201: Type.Object({ id: Type.String() }) } } },
    async (request, reply) => {
      const { userId, meta } = userOf(request);
      const answer = request.body.response as unknown as RegistrationResponseJSON;
      return reply
        .status(201)
        .send(await finishPasskeyEnrolment(rt, userId, answer, meta, request.body.name));
    },
  );

  const Passkey = Type.Object({
    id: Type.String(),
    name: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  });
  app.get(
    '/api/v1/me/two-factor/passkeys',
    {
      schema: {
        summary: "The signed-in person's passkeys, with the names they gave them",
        response: { 200: Type.Object({ items: Type.Array(Passkey) }) },
      },
    },
    async (request) => {
      const items = await listPasskeys(rt, userOf(request).userId);
      return {
        items: items.map((p) => ({
          ...p,
          createdAt: p.createdAt.toISOString(),
          lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
        })),
      };
    },
  );

  const PasskeyId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 1024 }) });
  app.patch(
    '/api/v1/me/two-factor/passkeys/:id',
    {
      schema: {
        summary: 'Renames one of your passkeys',
        params: PasskeyId,
        body: Type.Object({ name: PasskeyName }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      await renamePasskey(rt, userOf(request).userId, request.params.id, request.body.name);
      return reply.status(204).send();
    },
  );

  app.delete(
    '/api/v1/me/two-factor/passkeys/:id',
    { schema: { summary: 'Removes one of your passkeys', params: PasskeyId } },
    async (request, reply) => {
      const { userId, meta } = userOf(request);
      await removePasskey(rt, userId, request.params.id, meta);
      return reply.status(204).send();
    },
  );

  const Passwords = Type.Object(
    {
      currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
      newPassword: Type.String({ minLength: 1, maxLength: 1024 }),
    },
    { additionalProperties: false },
  );
  app.post('/api/v1/me/password', { schema: { body: Passwords } }, async (request, reply) => {
    const { userId, meta } = userOf(request);
    await changePassword(rt, userId, request.body, meta);
    return reply.status(204).send();
  });

  const Security = Type.Object({ requireTwoFactor: Type.Boolean() }, { additionalProperties: false });
  app.get(
    '/api/v1/business/security',
    {
      schema: {
        summary: 'Whether the business requires a second factor of every member (owners and admins)',
        response: { 200: Security },
      },
    },
    async (request) => ({ requireTwoFactor: await getTwoFactorRequirement(userOf(request).ctx) }),
  );
  app.put(
    '/api/v1/business/security',
    { schema: { body: Security, response: { 200: Security } } },
    async (request) => {
      await setTwoFactorRequirement(userOf(request).ctx, request.body.requireTwoFactor);
      return { requireTwoFactor: request.body.requireTwoFactor };
    },
  );
}
