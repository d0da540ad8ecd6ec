// Two pages: the operator console (/) and the promoter page (/m/).
// `npm run dev` proxies the API to a `tuike serve` on TUIKE_API
// (default http://127.0.0.1:8080).
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const api = process.env.TUIKE_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      input: {
        console: resolve(import.meta.dirname, 'index.html'),
        promoter: resolve(import.meta.dirname, 'm/index.html'),
      },
    },
  },
  server: { proxy: { '/api': api, '/s': api } },
});
