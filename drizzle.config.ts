import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the *.tables.ts files, read, and committed; never edited after landing.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./server/db/*.tables.ts', './server/modules/*/*.tables.ts'],
  out: './server/db/migrations',
  strict: true,
});
