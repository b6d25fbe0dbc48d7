/**
 * Builds the web app into web/dist (ADR 0070). The output must run under the server's strict CSP
 * (script-src 'self', style-src 'self'): no inline scripts or styles, so the module-preload
 * polyfill (an inline helper in some setups) is off and CSS is always a separate file.
 */
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  // The app imports the pure rules from ../domain, outside this folder.
  server: { fs: { allow: [path.resolve(root, '..')] } },
});
