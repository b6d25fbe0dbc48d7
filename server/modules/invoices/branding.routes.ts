/**
 * The business's look on its invoice PDFs (issue 5 point 1): `GET` and `PATCH
 * /api/v1/invoice-settings/branding` (accent colour, logo as base64 PNG or JPEG; null clears) and
 * `GET …/branding/logo` for the image itself. Thin: the rules are branding.service.ts's.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { type Branding, getBranding, getLogo, MAX_LOGO_BYTES, setBranding } from './branding.service.ts';

const BrandingBody = Type.Object(
  {
    // Null first: with type coercion on, a null would otherwise become the string "".
    accentColor: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 7 })])),
    logo: Type.Optional(
      Type.Union([
        Type.Object(
          {
            contentType: Type.String({ maxLength: 40 }),
            // Base64 of at most MAX_LOGO_BYTES (a little over, so the service answers logo_too_large).
            data: Type.String({
              maxLength: Math.ceil(MAX_LOGO_BYTES / 3) * 4 + 1024,
              pattern: '^[A-Za-z0-9+/]*={0,2}$',
            }),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);

const BrandingOut = Type.Object({
  accentColor: Type.Union([Type.String(), Type.Null()]),
  logo: Type.Union([Type.Object({ contentType: Type.String(), sha256: Type.String() }), Type.Null()]),
});

function present(b: Branding) {
  return {
    accentColor: b.accentColor,
    logo: b.logo ? { contentType: b.logo.mediaType, sha256: b.logo.sha256 } : null,
  };
}

/** Registers /api/v1/invoice-settings/branding. */
export function brandingRoutes(app: App, services: Services): void {
  app.get(
    '/api/v1/invoice-settings/branding',
    { schema: { response: { 200: BrandingOut } } },
    async (request) => present(await getBranding(ctxOf(request, services))),
  );

  app.patch(
    '/api/v1/invoice-settings/branding',
    { schema: { body: BrandingBody, response: { 200: BrandingOut } } },
    async (request) => {
      const { accentColor, logo } = request.body;
      return present(
        await setBranding(ctxOf(request, services), {
          ...(accentColor !== undefined ? { accentColor } : {}),
          ...(logo !== undefined
            ? { logo: logo && { mediaType: logo.contentType, data: Buffer.from(logo.data, 'base64') } }
            : {}),
        }),
      );
    },
  );

  app.get('/api/v1/invoice-settings/branding/logo', async (request, reply) => {
    const logo = await getLogo(ctxOf(request, services));
    return reply.type(logo.mediaType).header('cache-control', 'private, no-store').send(logo.data);
  });
}
