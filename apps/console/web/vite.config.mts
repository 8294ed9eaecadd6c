import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// Built by the console's build target into dist/apps/console/web, which the console's server serves.
// Vite reads the default export of its config file.
// eslint-disable-next-line no-restricted-syntax
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../../dist/apps/console/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // The charts are the heavy part; one chunk for them keeps the first page light.
    chunkSizeWarningLimit: 1_500,
  },
  // `vite --config apps/console/web/vite.config.mts` for development: the API is the running console.
  server: { proxy: { '/api': 'http://127.0.0.1:3006' } },
});

