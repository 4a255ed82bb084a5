import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: {
          // The Electron shell, and the same business layer headless (npm run serve).
          index: resolve(__dirname, 'src/main/electron/main.ts'),
          server: resolve(__dirname, 'src/main/server.ts'),
          // The tenant check for a store's IT on a sandbox (npm run tenant-check).
          'tenant-check': resolve(__dirname, 'src/main/tenant-check/cli.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      minify: true,
      rolldownOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
    plugins: [react()],
  },
});
